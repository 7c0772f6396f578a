// The Connected Apps panel: the mock server's Access Management API
// (/accounts/api/connectedApplications), called with its admin token. The mock allows this
// page's origin only if it was started with `--admin-origin <this origin>`.

import { byId, h, readStored, writeStored } from './dom.js';
import { SCOPES } from './settings.js';

/** The admin token `make playground` starts the mock server with (loopback only). */
export const DEFAULT_ADMIN_TOKEN = 'anypoint-playground-admin';
const TOKEN_KEY = 'anypoint-playground:admin-token';
const APPS = '/accounts/api/connectedApplications';

const GRANTS = [
  ['authorization_code', 'authorization_code', 'a user signs in (this button)'],
  ['refresh_token', 'refresh_token', 'new access tokens without the user; needs offline_access'],
  ['password', 'password', 'the app collects the password (not recommended)'],
  ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'jwt_bearer', 'signed assertions; needs a public key, set through the API'],
  ['client_credentials', 'client_credentials', 'the app acts on its own behalf'],
];
const USER_DEFAULT_GRANTS = ['authorization_code', 'refresh_token'];
const USER_DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

let mockUrl = () => '';
let useApp = () => {};
let defaultRedirect = () => '';
let created = 0;

function adminToken() {
  return byId('admin-token').value.trim();
}

function status(text, kind = '') {
  const el = byId('apps-status');
  el.textContent = text;
  el.className = `status ${kind}`;
}

/** Calls the admin API; resolves to the parsed body, or throws an Error with the server's message. */
async function api(method, path, body) {
  const base = mockUrl();
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${adminToken()}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`cannot reach the mock server's admin API at ${base}. Is it running, and started with --admin-origin ${location.origin}?`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Reported below with the status.
  }
  if (!response.ok) {
    const message = (json && json.message) || text || response.statusText;
    throw new Error(`HTTP ${response.status}: ${message}`);
  }
  return json;
}

function checkbox(name, value, label, hint, checked) {
  const id = `${name}-${value.replace(/[^a-z0-9]+/gi, '-')}`;
  return h('li', {},
    h('input', { type: 'checkbox', id, name, value, checked }),
    h('label', { for: id }, h('code', { text: label }), hint ? h('span', { class: 'hint-inline', text: ` ${hint}` }) : null));
}

function checked(name) {
  return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);
}

function setChecked(name, values) {
  for (const el of document.querySelectorAll(`input[name="${name}"]`)) el.checked = values.includes(el.value);
}

function resetForm() {
  created += 1;
  byId('app-name').value = `My app ${created}`;
  byId('app-type').value = 'user';
  byId('app-public').checked = true;
  setChecked('app-grant', USER_DEFAULT_GRANTS);
  byId('app-website').value = '';
  byId('app-redirects').value = defaultRedirect();
  byId('app-audience').value = 'internal';
  setChecked('app-scope', USER_DEFAULT_SCOPES);
  byId('app-extra-scopes').value = '';
}

function formBody() {
  const scopes = [...checked('app-scope'), ...byId('app-extra-scopes').value.split(/\s+/).filter(Boolean)];
  const body = {
    client_name: byId('app-name').value.trim(),
    grant_types: checked('app-grant'),
    scopes: [...new Set(scopes)],
    audience: byId('app-audience').value,
    redirect_uris: byId('app-redirects').value.split(/\s+/).filter(Boolean),
    public_client: byId('app-public').checked,
    acts_on_behalf_of_user: byId('app-type').value === 'user',
  };
  const website = byId('app-website').value.trim();
  if (website) body.website_url = website;
  return body;
}

function field(label, value, attrs = {}) {
  return [h('dt', { text: label }), h('dd', attrs, value instanceof Node ? value : String(value))];
}

function appCard(app) {
  const secretInput = h('input', { type: 'text', class: 'new-secret', id: `secret-${app.client_id}`, autocomplete: 'off', spellcheck: 'false' });
  const canSignIn = (app.grant_types || []).includes('authorization_code');
  const card = h('li', { class: 'app', 'data-client-id': app.client_id },
    h('h3', { tabindex: '-1', text: app.client_name }),
    h('dl', {},
      field('Client ID', h('code', { class: 'client-id', text: app.client_id })),
      field('Client secret', app.client_secret
        ? h('code', { class: 'client-secret', text: app.client_secret })
        : h('span', { class: 'client-secret none', text: 'none: a public client proves itself with PKCE' })),
      field('Type', app.acts_on_behalf_of_user ? 'acts on behalf of a user' : 'acts on its own behalf'),
      field('Grant types', (app.grant_types || []).join(', ') || '—'),
      field('Redirect URIs', (app.redirect_uris || []).join(' ') || '—'),
      field('Audience', app.audience),
      field('Scopes', (app.scopes || []).join(' ') || '—'),
      app.website_url ? field('Website', app.website_url) : null),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'use-app', disabled: !canSignIn, onclick: () => useApp(app) }, 'Use in the widget'),
      h('button', { type: 'button', class: 'delete-app secondary', onclick: () => remove(app) }, 'Delete')),
    app.client_secret ? h('div', { class: 'secret-form' },
      h('label', { for: secretInput.id, text: 'New secret (empty: a random one)' }),
      secretInput,
      h('button', { type: 'button', class: 'rotate-secret secondary', onclick: () => rotate(app, secretInput.value.trim()) }, 'Change secret')) : null,
    !canSignIn ? h('p', { class: 'hint', text: 'No authorization_code grant: a sign-in button cannot use this app.' }) : null,
    canSignIn && !app.public_client ? h('p', { class: 'hint', text: 'A confidential app: the browser cannot keep its secret, so the mock refuses the widget\'s token request (invalid_client). Exchange the code on a server, or create a public client.' }) : null);
  return card;
}

async function refresh(focusClientId) {
  let list;
  try {
    list = await api('GET', APPS);
  } catch (error) {
    status(`Could not list the apps: ${error.message}`, 'bad');
    return;
  }
  const apps = (list && Array.isArray(list.data) ? list.data : []).slice().reverse();
  byId('apps-list').replaceChildren(...apps.map(appCard));
  if (focusClientId) {
    const card = byId('apps-list').querySelector(`li[data-client-id="${CSS.escape(focusClientId)}"] h3`);
    if (card) card.focus();
  }
}

async function create(event) {
  event.preventDefault();
  const body = formBody();
  let app;
  try {
    app = await api('POST', APPS, body);
  } catch (error) {
    status(`The app was not created: ${error.message}`, 'bad');
    return;
  }
  resetForm();
  await refresh(app.client_id);
  status(`Created “${app.client_name}”, client ID ${app.client_id}.`, 'ok');
}

async function rotate(app, secret) {
  try {
    await api('POST', `${APPS}/${encodeURIComponent(app.client_id)}/client_secret`, secret ? { client_secret: secret } : {});
  } catch (error) {
    status(`The secret was not changed: ${error.message}`, 'bad');
    return;
  }
  await refresh(app.client_id);
  status(`The secret of “${app.client_name}” changed; the old one stopped working.`, 'ok');
}

async function remove(app) {
  try {
    await api('DELETE', `${APPS}/${encodeURIComponent(app.client_id)}`);
  } catch (error) {
    status(`The app was not deleted: ${error.message}`, 'bad');
    return;
  }
  await refresh();
  status(`Deleted “${app.client_name}”; its tokens stopped working.`, 'ok');
}

/**
 * Builds the panel. `mock()` gives the mock server's base URL, `redirectUri()` the
 * widget's redirect URI (the default for new apps), and `use(app)` configures the widget
 * with an app.
 */
export function setup({ mock, redirectUri, use }) {
  mockUrl = mock;
  useApp = use;
  defaultRedirect = redirectUri;
  const token = byId('admin-token');
  token.value = readStored(sessionStorage, TOKEN_KEY, DEFAULT_ADMIN_TOKEN);
  token.addEventListener('change', () => writeStored(sessionStorage, TOKEN_KEY, token.value.trim()));
  byId('app-grants').replaceChildren(...GRANTS.map(([value, label, hint]) => checkbox('app-grant', value, label, hint, false)));
  byId('app-scopes').replaceChildren(...SCOPES.map(([name]) => checkbox('app-scope', name, name, '', false)));
  byId('app-type').addEventListener('change', () => {
    const user = byId('app-type').value === 'user';
    byId('app-public').checked = user;
    setChecked('app-grant', user ? USER_DEFAULT_GRANTS : ['client_credentials']);
    setChecked('app-scope', user ? USER_DEFAULT_SCOPES : ['profile']);
    if (!user) byId('app-redirects').value = '';
  });
  byId('app-form').addEventListener('submit', create);
  byId('apps-refresh').addEventListener('click', () => refresh());
  resetForm();
}

/** Loads the list (when the panel can reach the mock server). */
export function load() {
  return refresh();
}
