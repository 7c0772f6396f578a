// The inspector: the authorization request (with the PKCE pair), the callback, the token
// response, the ID token and a log of the element's events.
//
// The request, the callback and the log describe a round trip through the authorization
// server, so they wait in sessionStorage (this tab only) across it. Tokens are shown
// shortened and kept in page memory only, like the element keeps them.

import { byId, clock, empty, h, jsonBlock, readStored, shorten, table, writeStored } from './dom.js';
import { decodeJwt, s256 } from './jwt.js';

const REQUEST_KEY = 'anypoint-playground:request';
const CALLBACK_KEY = 'anypoint-playground:callback';
const LOG_KEY = 'anypoint-playground:log';
/** The element's pending sign-in, as it stores it (src/protocol/transaction.rs). */
const TRANSACTION_PREFIX = 'anypoint-signin:tx:';
const LOG_LIMIT = 100;
const TOKEN_FIELDS = new Set(['accessToken', 'idToken', 'refreshToken', 'access_token', 'id_token', 'refresh_token']);
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];

let tokens = null;

/** The pending sign-in the element stored for `state`, as a URLSearchParams, or null. */
function transaction(state) {
  if (!state) return null;
  try {
    const raw = sessionStorage.getItem(TRANSACTION_PREFIX + state);
    return raw === null ? null : new URLSearchParams(raw);
  } catch {
    return null;
  }
}

/** A copy of an event detail with every token shortened. */
function sanitize(value) {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      [k, TOKEN_FIELDS.has(k) && typeof v === 'string' ? shorten(v) : sanitize(v)]));
  }
  return value;
}

/**
 * Records the authorization request the element is about to send the browser to (the
 * `anypoint-signin-redirect` event's URL). The element never exposes the PKCE verifier;
 * the playground reads it from the transaction the element just stored for this state.
 */
export function recordRequest(url) {
  let state = null;
  try {
    state = new URL(url).searchParams.get('state');
  } catch {
    // Shown as it is below.
  }
  const tx = transaction(state);
  writeStored(sessionStorage, REQUEST_KEY, { url, verifier: tx ? tx.get('verifier') : null, at: Date.now() });
  renderRequest();
}

/**
 * Records the callback parameters of this page's address (or of `search`, the query a
 * popup posted back, received `via` that way), if any, before the element takes them.
 * Returns whether there were any.
 */
export function recordCallback(search = location.search, via = 'on this page') {
  const params = new URLSearchParams(search);
  if (!params.has('code') && !params.has('error')) return false;
  const shown = CALLBACK_PARAMS.filter((name) => params.has(name)).map((name) => {
    const value = params.get(name);
    return [name, name === 'code' ? shorten(value) : value];
  });
  writeStored(sessionStorage, CALLBACK_KEY, {
    params: shown,
    at: Date.now(),
    via,
    transactionFound: transaction(params.get('state')) !== null,
  });
  renderCallback();
  return true;
}

/** Shows the token response of a successful sign-in (the success event's detail). */
export function showTokens(detail) {
  tokens = detail;
  renderTokens();
}

/** Forgets the tokens shown (signed out). */
export function clearTokens() {
  tokens = null;
  renderTokens();
}

/** Appends an event to the log. */
export function logEvent(type, detail) {
  const log = readStored(sessionStorage, LOG_KEY, []);
  log.push({ type, detail: sanitize(detail), at: Date.now() });
  writeStored(sessionStorage, LOG_KEY, log.slice(-LOG_LIMIT));
  renderLog();
}

/** Empties the log. */
export function clearLog() {
  writeStored(sessionStorage, LOG_KEY, []);
  renderLog();
}

function renderRequest() {
  const panel = byId('request');
  const request = readStored(sessionStorage, REQUEST_KEY, null);
  if (!request || typeof request.url !== 'string') {
    panel.replaceChildren(empty('No sign-in started in this tab yet. Click the button.'));
    return;
  }
  let url;
  try {
    url = new URL(request.url);
  } catch {
    panel.replaceChildren(h('p', { text: `Not a URL: ${request.url}` }));
    return;
  }
  const rows = [['endpoint', `${url.origin}${url.pathname}`]];
  for (const [name, value] of url.searchParams) rows.push([name, value, { 'data-param': name }]);
  const check = h('span', { id: 'pkce-check', text: 'checking…' });
  rows.push(['code_verifier', request.verifier || '(not found in sessionStorage)', { 'data-param': 'code_verifier' }]);
  rows.push(['S256 check', check]);
  panel.replaceChildren(
    h('p', { class: 'meta', text: `Sent at ${clock(request.at)} to:` }),
    h('p', {}, h('code', { class: 'url', id: 'authorize-url', text: request.url })),
    table(rows),
    h('p', { class: 'hint', text: 'The code_verifier never leaves the browser until the token request; the element keeps it in this tab\'s sessionStorage transaction, read here for display.' }),
  );
  const challenge = url.searchParams.get('code_challenge');
  if (!request.verifier || !challenge) {
    check.textContent = 'nothing to check';
    return;
  }
  if (!(globalThis.crypto && crypto.subtle)) {
    check.textContent = 'WebCrypto is unavailable here (not a secure context)';
    return;
  }
  s256(request.verifier).then((computed) => {
    check.textContent = computed === challenge
      ? '✓ BASE64URL(SHA-256(code_verifier)) equals code_challenge'
      : `✗ BASE64URL(SHA-256(code_verifier)) is ${computed}, not the code_challenge`;
    check.className = computed === challenge ? 'ok' : 'bad';
  });
}

function renderCallback() {
  const panel = byId('callback');
  const callback = readStored(sessionStorage, CALLBACK_KEY, null);
  if (!callback || !Array.isArray(callback.params)) {
    panel.replaceChildren(empty('No answer from the authorization server yet.'));
    return;
  }
  panel.replaceChildren(
    h('p', { class: 'meta', text: `Received at ${clock(callback.at)} ${typeof callback.via === 'string' ? callback.via : 'on this page'}:` }),
    table(callback.params.map(([name, value]) => [name, value, { 'data-param': name }])),
    h('p', { class: 'hint', text: callback.transactionFound
      ? 'Its state matches a sign-in started in this tab.'
      : 'Its state matches no sign-in started in this tab: the element refuses it.' }),
  );
}

function renderTokens() {
  const tokenPanel = byId('tokens');
  const idPanel = byId('id-token');
  if (!tokens) {
    tokenPanel.replaceChildren(empty('Signed out.'));
    idPanel.replaceChildren(empty('No ID token.'));
    return;
  }
  const expires = typeof tokens.expiresAt === 'number'
    ? `${new Date(tokens.expiresAt).toISOString()} (in ${Math.round((tokens.expiresAt - Date.now()) / 60000)} min)`
    : '—';
  tokenPanel.replaceChildren(table([
    ['accessToken', shorten(tokens.accessToken), { 'data-field': 'accessToken' }],
    ['tokenType', tokens.tokenType],
    ['expiresAt', expires],
    ['scope', tokens.scope || '—'],
    ['idToken', tokens.idToken ? shorten(tokens.idToken) : '—'],
    ['restored', tokens.restored ? 'yes: the session came back after a reload' : 'no'],
    ['renewed', typeof tokens.refreshedAt === 'number' ? `at ${clock(tokens.refreshedAt)} (anypoint-signin-token-refreshed)` : 'not yet', { 'data-field': 'renewed' }],
  ]));
  if (!tokens.idToken) {
    idPanel.replaceChildren(empty('The token response had no ID token (request the openid scope).'));
    return;
  }
  let decoded;
  try {
    decoded = decodeJwt(tokens.idToken);
  } catch (error) {
    idPanel.replaceChildren(h('p', { class: 'bad', text: `Cannot decode the ID token: ${error.message}` }));
    return;
  }
  const times = ['iat', 'auth_time', 'exp']
    .filter((name) => typeof decoded.claims[name] === 'number')
    .map((name) => [name, new Date(decoded.claims[name] * 1000).toISOString()]);
  idPanel.replaceChildren(
    h('h4', { text: 'Header' }),
    jsonBlock(decoded.header, { id: 'id-token-header' }),
    h('h4', { text: 'Claims' }),
    jsonBlock(decoded.claims, { id: 'id-token-claims' }),
    times.length ? table(times, 'Times') : null,
    h('p', { class: 'hint', text: `Signature: ${decoded.signatureBytes} bytes, verified by the element against the provider's keys, with iss, aud, azp, exp, iat and nonce.` }),
    tokens.user ? h('h4', { text: 'User profile (the element\'s user property)' }) : null,
    tokens.user ? jsonBlock(tokens.user, { id: 'user-profile' }) : null,
  );
}

function renderLog() {
  const list = byId('event-log');
  const log = readStored(sessionStorage, LOG_KEY, []);
  if (!log.length) {
    list.replaceChildren(h('li', { class: 'empty', text: 'No events yet.' }));
    return;
  }
  list.replaceChildren(...log.map((entry) => h('li', { class: entry.type === 'page' ? 'marker' : 'event', 'data-event': entry.type },
    h('span', { class: 'time', text: clock(entry.at) }), ' ',
    h('strong', { text: entry.type === 'page' ? 'page loaded' : entry.type }),
    entry.type === 'page' ? ` ${entry.detail}` : jsonBlock(entry.detail))));
}

/** Marks a page load in the log, then draws every panel. */
export function start() {
  logEvent('page', `${location.pathname}${location.search ? ' (with a callback)' : ''}`);
  renderRequest();
  renderCallback();
  renderTokens();
}
