// The playground's settings: what the element is configured with. Kept in localStorage
// (nothing secret in them) so that they survive the round trip to the authorization server.

import { readStored, writeStored } from './dom.js';

const SETTINGS_KEY = 'anypoint-playground:settings';

/** Where `make playground` starts the mock server. */
export const DEFAULT_MOCK_URL = 'http://127.0.0.1:8081';
/** The mock server's zero-configuration public app. */
export const DEFAULT_CLIENT_ID = 'anypoint-signin-playground';
/** The confidential app the mock's example backend (`POST /example-backend/exchange`) redeems codes for. */
export const EXAMPLE_BACKEND_CLIENT_ID = 'anypoint-signin-backend-example';
/** The scopes that app may ask for. */
export const EXAMPLE_BACKEND_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/** The example backend's path on the mock server. */
export const EXAMPLE_BACKEND_PATH = '/example-backend/exchange';
/** Anypoint's issuer path, on every host. */
export const ISSUER_PATH = '/accounts/api/v2/oauth2';

/** The hosts of Anypoint's regions. */
export const REGIONS = {
  us: 'https://anypoint.mulesoft.com',
  eu: 'https://eu1.anypoint.mulesoft.com',
  gov: 'https://gov.anypoint.mulesoft.com',
};

/** The languages the element has, by the `lang` value the Language select gives each. */
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'ja', 'pt-BR', 'zh-CN'];

/** The label overrides: the setting, and the element's attribute that takes it. */
export const LABELS = [
  ['signinLabel', 'signinlabel'],
  ['signoutLabel', 'signoutlabel'],
  ['busyLabel', 'busylabel'],
  ['userLabel', 'userlabel'],
];

/**
 * The scopes with a meaning of their own, described as in MuleSoft's "Connected Apps for
 * Developers" (Endpoint Scopes). Permission scopes such as `read:exchange` go in the
 * free-text field.
 */
export const SCOPES = [
  ['full', 'Full access to anything the user can do.'],
  ['read:full', 'Read-only access to anything the user can read.'],
  ['openid', 'Read-only access to the user’s username and unique Anypoint ID.'],
  ['profile', 'Read-only access to the user’s Anypoint profile.'],
  ['email', 'Read-only access to the user’s email.'],
  ['offline_access', 'Access to the user’s data when they are not logged in.'],
  ['openid:google_wif', 'Enables Anypoint as an identity provider for Google Cloud (workload identity federation), for client_credentials apps.'],
];

/** This page's address without query or fragment: the element's default redirect URI. */
export function thisPage() {
  return `${location.origin}${location.pathname}`;
}

/** The settings of a first visit. */
export function defaults() {
  return {
    clientId: DEFAULT_CLIENT_ID,
    redirectUri: thisPage(),
    server: 'mock',
    mockUrl: DEFAULT_MOCK_URL,
    issuer: '',
    scopes: ['openid', 'profile', 'email'],
    extraScopes: '',
    storage: 'memory',
    profile: 'userinfo',
    logoutUrl: '',
    mode: 'redirect',
    popupFallback: 'none',
    exchangeUrl: '',
    size: 'medium',
    shape: 'rectangular',
    theme: 'light',
    text: 'signin',
    lang: '',
    signinLabel: '',
    signoutLabel: '',
    busyLabel: '',
    userLabel: '',
    preview: false,
  };
}

/** The stored settings over the defaults, each field type-checked. */
export function load() {
  const stored = readStored(localStorage, SETTINGS_KEY, {});
  const settings = defaults();
  if (stored && typeof stored === 'object') {
    for (const [key, value] of Object.entries(settings)) {
      if (key in stored && typeof stored[key] === typeof value && Array.isArray(stored[key]) === Array.isArray(value)) {
        settings[key] = stored[key];
      }
    }
  }
  settings.scopes = settings.scopes.filter((s) => typeof s === 'string');
  if (!LANGUAGES.includes(settings.lang)) settings.lang = '';
  return settings;
}

/** Remembers `settings` for the next page load. */
export function save(settings) {
  writeStored(localStorage, SETTINGS_KEY, settings);
}

/** Forgets the stored settings. */
export function clear() {
  writeStored(localStorage, SETTINGS_KEY, null);
}

/** A mock server base URL without trailing slash, or null if `text` is not an http(s) URL. */
export function normalizeMockUrl(text) {
  try {
    const url = new URL(String(text).trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** The scopes requested, in catalogue order, then the free-text ones. */
export function scopeList(settings) {
  const known = SCOPES.map(([name]) => name).filter((name) => settings.scopes.includes(name));
  const extra = settings.extraScopes.split(/\s+/).filter(Boolean);
  return [...new Set([...known, ...extra])];
}

/** The issuer the element talks to. */
export function issuerOf(settings) {
  switch (settings.server) {
    case 'mock': return `${normalizeMockUrl(settings.mockUrl) || DEFAULT_MOCK_URL}${ISSUER_PATH}`;
    case 'custom': return settings.issuer.trim();
    default: return `${REGIONS[settings.server] || REGIONS.us}${ISSUER_PATH}`;
  }
}

/**
 * The element's attributes for `settings`, in the order a snippet lists them. A region is
 * expressed with `region` (as a developer would), anything else with `issuer`.
 */
export function attributes(settings) {
  const attrs = [
    ['clientid', settings.clientId.trim()],
    ['redirecturi', settings.redirectUri.trim()],
    ['scopes', scopeList(settings).join(' ')],
  ];
  if (settings.server === 'eu' || settings.server === 'gov') attrs.push(['region', settings.server]);
  else if (settings.server !== 'us') attrs.push(['issuer', issuerOf(settings)]);
  // Defaults are left out, as a developer would.
  if (settings.storage !== 'memory') attrs.push(['storage', settings.storage]);
  if (settings.profile !== 'userinfo') attrs.push(['profile', settings.profile]);
  if (settings.logoutUrl.trim()) attrs.push(['logouturl', settings.logoutUrl.trim()]);
  if (settings.mode !== 'redirect') attrs.push(['mode', settings.mode]);
  if (settings.popupFallback !== 'none') attrs.push(['popupfallback', settings.popupFallback]);
  if (settings.exchangeUrl.trim()) attrs.push(['exchangeurl', settings.exchangeUrl.trim()]);
  // The looks, after the configuration.
  if (settings.size !== 'medium') attrs.push(['size', settings.size]);
  if (settings.shape !== 'rectangular') attrs.push(['shape', settings.shape]);
  if (settings.theme !== 'light') attrs.push(['theme', settings.theme]);
  if (settings.text !== 'signin') attrs.push(['text', settings.text]);
  // Then the language (none: the element follows the page's) and the labels set.
  if (settings.lang) attrs.push(['lang', settings.lang]);
  for (const [key, name] of LABELS) {
    if (settings[key].trim()) attrs.push([name, settings[key].trim()]);
  }
  return attrs;
}

/** Where `/accounts/api/...` lives for an issuer: the prefix before the issuer path. */
export function platformBase(issuer) {
  if (issuer.endsWith(ISSUER_PATH)) return issuer.slice(0, -ISSUER_PATH.length);
  try {
    return new URL(issuer).origin;
  } catch {
    return issuer;
  }
}
