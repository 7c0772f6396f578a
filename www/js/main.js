// The developer playground: settings → a live <anypoint-signin>, its embed snippet, an
// inspector of the flow, API calls with the token, and the mock's Connected Apps.
//
// This module runs before the package's entry module (see index.html), so it records the
// callback parameters before the element consumes them and removes them from the address bar.

import * as apis from './apis.js';
import * as apps from './apps.js';
import { byId, h, shorten } from './dom.js';
import * as inspector from './inspector.js';
import {
  DEFAULT_MOCK_URL, EXAMPLE_BACKEND_CLIENT_ID, EXAMPLE_BACKEND_PATH, EXAMPLE_BACKEND_SCOPES,
  LABELS, SCOPES, attributes, clear, defaults, issuerOf, load, normalizeMockUrl, save, thisPage,
} from './settings.js';
import { htmlSnippet, jsSnippet } from './snippet.js';

const TAG = 'anypoint-signin';
const MANAGED = [
  'clientid', 'redirecturi', 'scopes', 'issuer', 'region', 'storage', 'profile', 'logouturl',
  'mode', 'popupfallback', 'exchangeurl', 'size', 'shape', 'theme', 'text', 'lang',
  ...LABELS.map(([, name]) => name),
];
/** The element's popup window name (js/element.js): this page runs inside one as its redirect page. */
const POPUP_NAME = 'anypoint-signin-popup';
/** What the redirect page inside the popup posts to its opener (js/element.js). */
const POPUP_MESSAGE = 'anypoint-signin-callback';

let settings = load();
let claims = null;
/** The last success detail, updated by each renewal, for the inspector. */
let session = null;

/** `?mock=URL` points the playground at a mock server elsewhere (e.g. a random port) once. */
function takeMockParameter() {
  const url = new URL(location.href);
  const given = url.searchParams.get('mock');
  if (given === null) return;
  const mock = normalizeMockUrl(given);
  if (mock) {
    settings.mockUrl = mock;
    settings.server = 'mock';
    save(settings);
  }
  url.searchParams.delete('mock');
  history.replaceState(history.state, '', url.href);
}

function setStatus(text, kind, code) {
  const el = byId('status');
  el.textContent = text;
  el.className = `status ${kind || ''}`;
  if (code) el.dataset.code = code;
  else delete el.dataset.code;
}

// ---- settings form -------------------------------------------------------------------

function buildScopeList() {
  byId('scope-list').replaceChildren(...SCOPES.map(([name, description]) => {
    const id = `scope-${name.replace(/[^a-z0-9]+/gi, '-')}`;
    return h('li', {},
      h('input', { type: 'checkbox', id, name: 'scope', value: name }),
      h('label', { for: id }, h('code', { text: name }), h('span', { class: 'desc', text: description })));
  }));
}

// The settings form's text and select fields, by the setting each holds.
const FIELDS = {
  clientId: 'client-id',
  redirectUri: 'redirect-uri',
  server: 'server',
  mockUrl: 'mock-url',
  issuer: 'issuer',
  extraScopes: 'extra-scopes',
  storage: 'storage',
  profile: 'profile',
  logoutUrl: 'logout-url',
  mode: 'mode',
  popupFallback: 'popup-fallback',
  exchangeUrl: 'exchange-url',
  size: 'size',
  shape: 'shape',
  theme: 'theme',
  text: 'text',
  lang: 'lang',
  ...Object.fromEntries(LABELS),
};
/** The button's English text for each value of `text`: the sign-in label's placeholder. */
const SIGNIN_TEXTS = { signin: 'Sign in with Anypoint Platform', short: 'Sign in', continue: 'Continue with Anypoint' };

// The settings under "More options": the section opens when one differs from its default.
const MORE_OPTIONS = ['storage', 'profile', 'logoutUrl', 'mode', 'popupFallback', 'exchangeUrl'];

function fillForm() {
  for (const [key, id] of Object.entries(FIELDS)) byId(id).value = settings[key];
  const first = defaults();
  if (MORE_OPTIONS.some((key) => settings[key] !== first[key])) byId('more-settings').open = true;
  byId('preview').checked = settings.preview;
  for (const box of document.querySelectorAll('input[name="scope"]')) box.checked = settings.scopes.includes(box.value);
}

function readForm() {
  settings = {
    scopes: [...document.querySelectorAll('input[name="scope"]:checked')].map((box) => box.value),
    preview: byId('preview').checked,
  };
  for (const [key, id] of Object.entries(FIELDS)) settings[key] = byId(id).value;
}

// ---- the element -----------------------------------------------------------------------

function element() {
  return byId('signin');
}

/** Applies the settings to the live element (it re-reads its attributes at once) and the snippet. */
function apply() {
  byId('mock-url-field').hidden = settings.server !== 'mock';
  byId('issuer-field').hidden = settings.server !== 'custom';
  byId('issuer-shown').textContent = `Issuer: ${issuerOf(settings) || '(enter one below)'}`;
  const attrs = attributes(settings);
  const el = element();
  for (const name of MANAGED) {
    const pair = attrs.find(([n]) => n === name);
    const value = pair ? pair[1] : '';
    if (value === '' && name !== 'clientid') el.removeAttribute(name);
    else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
  // The dark theme is for dark pages: the widget is shown on one.
  byId('widget-host').classList.toggle('dark', settings.theme === 'dark');
  byId('signinlabel').placeholder = SIGNIN_TEXTS[settings.text] || SIGNIN_TEXTS.signin;
  byId('snippet-html').textContent = htmlSnippet(attrs);
  byId('snippet-js').textContent = jsSnippet();
}

function settingsChanged() {
  readForm();
  save(settings);
  apply();
}

/**
 * The code, before the element exchanges it (itself, or at exchangeurl). Logged shortened,
 * like tokens; the playground neither cancels nor answers it. It carries the PKCE verifier,
 * so the element dispatches it on itself only: it does not bubble to the document.
 */
function logCode(event) {
  const { code, codeVerifier, redirectUri, clientId } = event.detail || {};
  inspector.logEvent(event.type, {
    code: shorten(code),
    codeVerifier: shorten(codeVerifier),
    redirectUri,
    clientId,
    exchangedAt: settings.exchangeUrl.trim() || 'the token endpoint, by the element (PKCE, no secret)',
  });
}

function createElement() {
  const el = document.createElement(TAG);
  el.id = 'signin';
  el.addEventListener('anypoint-signin-code', logCode);
  byId('widget-host').append(el);
  apply();
}

/** Configures the widget with a connected app of the Connected Apps panel. */
function useApp(app) {
  const known = SCOPES.map(([name]) => name);
  const uris = app.redirect_uris || [];
  const onThisOrigin = uris.find((uri) => uri === settings.redirectUri)
    || uris.find((uri) => { try { return new URL(uri).origin === location.origin; } catch { return false; } });
  settings.clientId = app.client_id;
  settings.server = 'mock';
  if (onThisOrigin) settings.redirectUri = onThisOrigin;
  settings.scopes = (app.scopes || []).filter((s) => known.includes(s));
  settings.extraScopes = (app.scopes || []).filter((s) => !known.includes(s)).join(' ');
  save(settings);
  fillForm();
  apply();
  setStatus(onThisOrigin
    ? `Using “${app.client_name}” (${app.client_id}). Click the button to sign in.`
    : `Using “${app.client_name}”, but none of its redirect URIs is on ${location.origin}: add ${thisPage()} to it.`, onThisOrigin ? '' : 'bad');
  const section = byId('try');
  section.scrollIntoView({ block: 'start' });
  section.focus();
}

/**
 * Configures the widget for the mock's example backend: codes are exchanged at
 * `<mock>/example-backend/exchange` for its confidential app, whose secret stays there.
 */
function useExampleBackend() {
  const mock = normalizeMockUrl(settings.mockUrl) || DEFAULT_MOCK_URL;
  settings.server = 'mock';
  settings.mockUrl = mock;
  settings.clientId = EXAMPLE_BACKEND_CLIENT_ID;
  settings.exchangeUrl = `${mock}${EXAMPLE_BACKEND_PATH}`;
  // Only scopes that app has: another one would be refused (invalid_scope).
  const scopes = settings.scopes.filter((s) => EXAMPLE_BACKEND_SCOPES.includes(s));
  settings.scopes = scopes.includes('openid') ? scopes : ['openid', ...scopes];
  settings.extraScopes = '';
  save(settings);
  fillForm();
  apply();
  setStatus(`Using the mock's example backend: codes go to ${settings.exchangeUrl}, which redeems them as ${EXAMPLE_BACKEND_CLIENT_ID} with its secret.`, '');
}

// ---- events ----------------------------------------------------------------------------

/** Whether this page is the redirect page inside the element's sign-in popup. */
function inSigninPopup() {
  return window.name === POPUP_NAME && !!window.opener;
}

function listen() {
  document.addEventListener('anypoint-signin-redirect', (event) => {
    inspector.logEvent(event.type, event.detail);
    inspector.recordRequest(event.detail.url);
    if (settings.preview) {
      event.preventDefault();
      setStatus('Stayed on this page: the authorization request is in the inspector (nothing was sent).', '');
    } else if (settings.mode === 'popup') {
      setStatus('Signing in in the popup window…', '');
    } else {
      setStatus('Going to the authorization server…', '');
    }
  });
  // In popup mode the callback reaches this page by postMessage from the popup (this same
  // page, opened there as the redirect URI); the element checks the sender, this only shows it.
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (event.origin !== location.origin || !data || data.type !== POPUP_MESSAGE || typeof data.params !== 'string') return;
    inspector.recordCallback(`?${data.params}`, 'by postMessage from the popup');
  });
  document.addEventListener('anypoint-signin-success', (event) => {
    inspector.logEvent(event.type, event.detail);
    claims = event.detail.claims || null;
    session = event.detail;
    inspector.showTokens(session);
    apis.signedIn(true);
    const who = claims && (claims.name || claims.preferred_username || claims.sub);
    const again = event.detail.restored ? ' again: the session came back after the reload' : '';
    setStatus(`Signed in${who ? ` as ${who}` : ''}${again}.`, 'ok');
  });
  document.addEventListener('anypoint-signin-token-refreshed', (event) => {
    inspector.logEvent(event.type, event.detail);
    session = { ...session, ...event.detail, refreshedAt: Date.now() };
    inspector.showTokens(session);
  });
  document.addEventListener('anypoint-signin-error', (event) => {
    const detail = event.detail || {};
    inspector.logEvent(event.type, detail);
    setStatus(`${detail.code}: ${detail.description}`, 'bad', detail.code);
  });
  document.addEventListener('anypoint-signin-signout', (event) => {
    inspector.logEvent(event.type, event.detail);
    claims = null;
    session = null;
    inspector.clearTokens();
    apis.signedIn(false);
    setStatus('Signed out.', '');
  });
}

function copy(button) {
  const source = byId(button.dataset.copy);
  const done = (text) => { byId('copy-status').textContent = text; };
  const selectIt = () => {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  const fallback = () => {
    selectIt();
    done(document.execCommand('copy') ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy.');
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(source.textContent).then(() => done('Copied to the clipboard.'), fallback);
  } else {
    fallback();
  }
}

// ---- start -----------------------------------------------------------------------------

function start() {
  takeMockParameter();
  const callback = inspector.recordCallback();
  inspector.start();
  listen();

  buildScopeList();
  fillForm();
  const form = byId('settings');
  form.addEventListener('input', settingsChanged);
  form.addEventListener('change', settingsChanged);
  form.addEventListener('submit', (event) => event.preventDefault());
  // The looks sit beside the element, under "Try it".
  byId('looks').addEventListener('input', settingsChanged);
  byId('looks').addEventListener('change', settingsChanged);
  byId('reset-settings').addEventListener('click', () => {
    settings = { ...defaults(), mockUrl: settings.mockUrl };
    clear();
    save(settings);
    fillForm();
    apply();
  });
  for (const button of document.querySelectorAll('button.copy')) button.addEventListener('click', () => copy(button));
  byId('clear-log').addEventListener('click', inspector.clearLog);
  byId('use-example-backend').addEventListener('click', useExampleBackend);

  createElement();
  if (inSigninPopup()) {
    setStatus('Handing the sign-in back to the main window…', '');
    return;
  }
  setStatus(callback ? 'Completing the sign-in…' : 'Loading the element…', '');
  customElements.whenDefined(TAG).then(() => {
    if (byId('status').textContent === 'Loading the element…') setStatus('Ready: click the button to sign in.', '');
  });

  apis.setup({
    token: () => element().getAccessToken(),
    issuer: () => (claims && typeof claims.iss === 'string' ? claims.iss : issuerOf(settings)),
  });
  apis.signedIn(false);
  apps.setup({
    mock: () => normalizeMockUrl(settings.mockUrl) || '',
    redirectUri: () => settings.redirectUri || thisPage(),
    use: useApp,
  });
  if (settings.server === 'mock') apps.load();
}

start();
