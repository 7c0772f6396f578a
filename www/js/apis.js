// Calls Anypoint APIs with the signed-in element's access token: OpenID Connect userinfo
// (its URL from discovery) and /accounts/api/me.

import { byId, h, jsonBlock } from './dom.js';
import { platformBase } from './settings.js';

const discovered = new Map();

async function userinfoEndpoint(issuer) {
  if (!discovered.has(issuer)) {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
    const metadata = await response.json();
    if (typeof metadata.userinfo_endpoint !== 'string') throw new Error('discovery names no userinfo_endpoint');
    discovered.set(issuer, metadata.userinfo_endpoint);
  }
  return discovered.get(issuer);
}

async function call(target, label, url, token) {
  target.replaceChildren(h('p', { class: 'meta', text: `${label}: calling ${url}…` }));
  let response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    target.replaceChildren(h('p', { class: 'bad', text: `${label}: the request failed (${error.message}); the server must allow this origin (CORS).` }));
    return;
  }
  const text = await response.text();
  let body;
  try {
    body = jsonBlock(JSON.parse(text));
  } catch {
    body = h('pre', { class: 'json', text });
  }
  target.replaceChildren(
    h('p', { class: response.ok ? 'meta ok' : 'meta bad', 'data-status': response.status, text: `${label}: HTTP ${response.status} from ${url}` }),
    body,
  );
}

/** The access token from `token()`, or null after showing why there is none. */
async function tokenOrReason(token, target, label) {
  try {
    return await token();
  } catch (error) {
    target.replaceChildren(h('p', { class: 'bad', text: `${label}: no access token (${error.code || error.name}: ${error.message})` }));
    return null;
  }
}

/**
 * Wires the two buttons. `token()` resolves to a fresh access token (the element's
 * `getAccessToken()`, which renews it when needed) and `issuer()` gives the element's issuer.
 */
export function setup({ token, issuer }) {
  byId('call-userinfo').addEventListener('click', async () => {
    const target = byId('userinfo-result');
    const accessToken = await tokenOrReason(token, target, 'GET /userinfo');
    if (!accessToken) return;
    let url;
    try {
      url = await userinfoEndpoint(issuer());
    } catch (error) {
      target.replaceChildren(h('p', { class: 'bad', text: `GET /userinfo: ${error.message}` }));
      return;
    }
    await call(target, 'GET /userinfo', url, accessToken);
  });
  byId('call-me').addEventListener('click', async () => {
    const target = byId('me-result');
    const accessToken = await tokenOrReason(token, target, 'GET /accounts/api/me');
    if (!accessToken) return;
    await call(target, 'GET /accounts/api/me', `${platformBase(issuer())}/accounts/api/me`, accessToken);
  });
}

/** Enables the buttons while signed in; clears old answers on sign-out. */
export function signedIn(yes) {
  byId('call-userinfo').disabled = !yes;
  byId('call-me').disabled = !yes;
  byId('apis-hint').textContent = yes ? 'Each call asks the element for a fresh token (getAccessToken()) and sends it as a Bearer token.' : 'Sign in first.';
  if (!yes) {
    byId('userinfo-result').replaceChildren();
    byId('me-result').replaceChildren();
  }
}
