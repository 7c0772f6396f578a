// Types of the <anypoint-signin> element. The element is defined by importing this
// package; its class is not exported at run time, so the element's types below are
// interfaces: `import type { AnypointSigninElement } from 'anypoint-signin'`.
// The same element is described for tools in custom-elements.json.

/** The `region` attribute's values. */
export type AnypointSigninRegion = 'us' | 'eu' | 'gov';
/** The `storage` attribute's values. */
export type AnypointSigninStorage = 'memory' | 'session';
/** The `profile` attribute's values. */
export type AnypointSigninProfile = 'userinfo' | 'me' | 'none';
/** The `mode` attribute's values. */
export type AnypointSigninMode = 'redirect' | 'popup';
/** The `popupfallback` attribute's values. */
export type AnypointSigninPopupFallback = 'none' | 'redirect';
/** The `size` attribute's values. */
export type AnypointSigninSize = 'small' | 'medium' | 'large';
/** The `shape` attribute's values. */
export type AnypointSigninShape = 'rectangular' | 'pill';
/** The `theme` attribute's values. */
export type AnypointSigninTheme = 'light' | 'dark' | 'outline';
/** The `text` attribute's values: "Sign in with Anypoint Platform", "Sign in", "Continue with Anypoint". */
export type AnypointSigninText = 'signin' | 'short' | 'continue';

/** The codes the element itself reports (README, "Error codes"). */
export type AnypointSigninElementErrorCode =
  | 'missing_client_id'
  | 'invalid_redirect_uri'
  | 'unknown_region'
  | 'invalid_issuer'
  | 'discovery_failed'
  | 'invalid_discovery'
  | 'issuer_mismatch'
  | 'pkce_not_supported'
  | 'missing_state'
  | 'unknown_state'
  | 'expired_transaction'
  | 'invalid_callback'
  | 'token_request_failed'
  | 'token_error'
  | 'invalid_token_response'
  | 'invalid_id_token'
  | 'invalid_storage'
  | 'not_signed_in'
  | 'session_expired'
  | 'profile_failed'
  | 'invalid_mode'
  | 'invalid_logout_url'
  | 'invalid_exchange_url'
  | 'popup_blocked'
  | 'popup_closed'
  | 'popup_timeout'
  | 'exchange_failed'
  | 'revocation_failed'
  | 'internal_error'
  | 'load_failed';

/**
 * Error codes of the authorization server, passed on as they come (RFC 6749 §4.1.2.1,
 * OpenID Connect Core §3.1.2.6); a server may send others.
 */
export type AnypointSigninProviderErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'interaction_required'
  | 'login_required'
  | 'account_selection_required'
  | 'consent_required';

/**
 * The `code` of an `anypoint-signin-error` event and of a rejected method call: one of the
 * element's codes, or the authorization server's OAuth error code (an open set: any string,
 * while editors still offer the known ones).
 */
export type AnypointSigninErrorCode =
  | AnypointSigninElementErrorCode
  | AnypointSigninProviderErrorCode
  | (string & {});

/** The ID token's claims, checked (signature, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`). */
export interface AnypointSigninClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

/**
 * The user: the userinfo response (`profile="userinfo"`), the `user` of Anypoint's
 * `/accounts/api/me` (`profile="me"`), or the ID token's claims (`profile="none"`, and
 * until the profile has loaded).
 */
export interface AnypointSigninUser {
  /** userinfo and the ID token's claims. */
  sub?: string;
  /** `/accounts/api/me`. */
  id?: string;
  name?: string;
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  [member: string]: unknown;
}

/** The tokens of `anypoint-signin-success` and `anypoint-signin-token-refreshed`. */
export interface AnypointSigninTokens {
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  tokenType: string;
  /** Milliseconds since the epoch, like `Date.now()`; `null` when the server gave no `expires_in`. */
  expiresAt: number | null;
  scope: string | null;
  idToken: string | null;
}

/** `detail` of `anypoint-signin-success`. */
export interface AnypointSigninSuccessDetail extends AnypointSigninTokens {
  claims: AnypointSigninClaims | null;
  user: AnypointSigninUser | null;
  /** True when the session came back after a reload. */
  restored: boolean;
}

/** `detail` of `anypoint-signin-token-refreshed`. */
export interface AnypointSigninTokenRefreshedDetail extends AnypointSigninTokens {}

/** `detail` of `anypoint-signin-error`. */
export interface AnypointSigninErrorDetail {
  code: AnypointSigninErrorCode;
  /** A sentence saying what happened and what to fix. */
  description: string;
  /** The raw detail (an OAuth error code, a truncated server body), or `null`. */
  cause: string | null;
}

/** `detail` of `anypoint-signin-signout`: empty. */
export interface AnypointSigninSignoutDetail {}

/** `detail` of `anypoint-signin-redirect` (cancelable). */
export interface AnypointSigninRedirectDetail {
  /** The authorization request's URL. */
  url: string;
}

/** The token endpoint's JSON answer, which `respondWith` supplies (RFC 6749 §5.1, §5.2). */
export interface AnypointSigninTokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
  [member: string]: unknown;
}

/** `detail` of `anypoint-signin-code` (cancelable, on the element only). */
export interface AnypointSigninCodeDetail {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
  /**
   * Takes the exchange over: the element waits for `response` (the token endpoint's JSON
   * answer, as an object or as text) instead of exchanging the code itself. Call it during
   * the event's dispatch.
   */
  respondWith(
    response:
      | AnypointSigninTokenResponse
      | string
      | PromiseLike<AnypointSigninTokenResponse | string>,
  ): void;
}

/** Options of `signIn()`. */
export interface AnypointSigninOptions {
  /** OpenID Connect's `prompt`, e.g. `login` to ask for the password again. */
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {});
  /** Prefills the user name on the sign-in page. */
  loginHint?: string;
}

/** How a method call's promise rejects: an `Error` with the error event's code. */
export interface AnypointSigninError extends Error {
  name: 'AnypointSigninError';
  code: AnypointSigninErrorCode;
}

/** The events that bubble and cross shadow roots: a page can hear them on any ancestor. */
export interface AnypointSigninBubblingEventMap {
  'anypoint-signin-success': CustomEvent<AnypointSigninSuccessDetail>;
  'anypoint-signin-token-refreshed': CustomEvent<AnypointSigninTokenRefreshedDetail>;
  'anypoint-signin-error': CustomEvent<AnypointSigninErrorDetail>;
  'anypoint-signin-signout': CustomEvent<AnypointSigninSignoutDetail>;
  'anypoint-signin-redirect': CustomEvent<AnypointSigninRedirectDetail>;
}

/** Every event of the element, `anypoint-signin-code` (on the element only) included. */
export interface AnypointSigninElementEventMap
  extends HTMLElementEventMap,
    AnypointSigninBubblingEventMap {
  'anypoint-signin-code': CustomEvent<AnypointSigninCodeDetail>;
}

/** The attributes, as JSX and HTML take them. */
export interface AnypointSigninAttributes {
  clientid?: string;
  redirecturi?: string;
  scopes?: string;
  issuer?: string;
  region?: AnypointSigninRegion;
  storage?: AnypointSigninStorage;
  profile?: AnypointSigninProfile;
  logouturl?: string;
  mode?: AnypointSigninMode;
  popupfallback?: AnypointSigninPopupFallback;
  exchangeurl?: string;
  size?: AnypointSigninSize;
  shape?: AnypointSigninShape;
  theme?: AnypointSigninTheme;
  text?: AnypointSigninText;
  signinlabel?: string;
  signoutlabel?: string;
  busylabel?: string;
  userlabel?: string;
}

/**
 * `<anypoint-signin>`. Each attribute is mirrored by a property: reading gives the
 * attribute's value (or `null`), setting `null` or `undefined` removes it.
 */
export interface AnypointSigninElement extends HTMLElement {
  /** `clientid`: the connected app's client ID (required). */
  get clientId(): string | null;
  set clientId(value: string | null | undefined);
  /** `redirecturi`: where Anypoint sends the user back; default: this page, without query. */
  get redirectUri(): string | null;
  set redirectUri(value: string | null | undefined);
  /** `scopes`: space-separated; default `openid profile`. */
  get scopes(): string | null;
  set scopes(value: string | null | undefined);
  /** `issuer`: the authorization server; wins over `region`. */
  get issuer(): string | null;
  set issuer(value: string | null | undefined);
  /** `region`: `us` (default), `eu` or `gov`. */
  get region(): string | null;
  set region(value: AnypointSigninRegion | null | undefined);
  /** `storage`: `memory` (default) or `session`. */
  get storage(): string | null;
  set storage(value: AnypointSigninStorage | null | undefined);
  /** `profile`: `userinfo` (default), `me` or `none`. */
  get profile(): string | null;
  set profile(value: AnypointSigninProfile | null | undefined);
  /** `logouturl`: a page to go to after sign-out. */
  get logoutUrl(): string | null;
  set logoutUrl(value: string | null | undefined);
  /** `mode`: `redirect` (default) or `popup`. */
  get mode(): string | null;
  set mode(value: AnypointSigninMode | null | undefined);
  /** `popupfallback`: `none` (default) or `redirect`. */
  get popupFallback(): string | null;
  set popupFallback(value: AnypointSigninPopupFallback | null | undefined);
  /** `exchangeurl`: your backend's endpoint that exchanges the code. */
  get exchangeUrl(): string | null;
  set exchangeUrl(value: string | null | undefined);
  /** `size`: `small`, `medium` (default) or `large`; another value shows the default. */
  get size(): string | null;
  set size(value: AnypointSigninSize | null | undefined);
  /** `shape`: `rectangular` (default) or `pill`. */
  get shape(): string | null;
  set shape(value: AnypointSigninShape | null | undefined);
  /** `theme`: `light` (default), `dark` or `outline`. */
  get theme(): string | null;
  set theme(value: AnypointSigninTheme | null | undefined);
  /** `text`: the text while signed out, `signin` (default), `short` or `continue`. */
  get text(): string | null;
  set text(value: AnypointSigninText | null | undefined);
  /** `signinlabel`: overrides the text while signed out, in every language. */
  get signInLabel(): string | null;
  set signInLabel(value: string | null | undefined);
  /** `signoutlabel`: overrides "Sign out", in every language. */
  get signOutLabel(): string | null;
  set signOutLabel(value: string | null | undefined);
  /** `busylabel`: overrides "Signing in…" (for screen readers), in every language. */
  get busyLabel(): string | null;
  set busyLabel(value: string | null | undefined);
  /** `userlabel`: overrides "Signed in as {name}", in every language; `{name}` becomes the user's name. */
  get userLabel(): string | null;
  set userLabel(value: string | null | undefined);

  /** Whether a user is signed in. */
  readonly signedIn: boolean;
  /** The current access token, or `null`; prefer `getAccessToken()`. */
  readonly accessToken: string | null;
  /** The profile, or the ID token's claims until it loads, or `null`. */
  readonly user: AnypointSigninUser | null;

  /**
   * Starts a sign-in, as a click does. Resolves when the browser navigates away; rejects
   * with an {@link AnypointSigninError}.
   */
  signIn(options?: AnypointSigninOptions): Promise<void>;
  /**
   * Resolves to an access token valid for at least another minute, renewed first when
   * needed; rejects with `not_signed_in` or `session_expired`.
   */
  getAccessToken(): Promise<string>;
  /** Forgets the session here and in the tabs that shared it, revokes its tokens, fires `anypoint-signin-signout`. */
  signOut(): Promise<void>;
  /** Completes a sign-in from a callback URL (default: the current address); `false` when it has no callback parameters. */
  handleRedirectCallback(url?: string): Promise<boolean>;

  addEventListener<K extends keyof AnypointSigninElementEventMap>(
    type: K,
    listener: (this: AnypointSigninElement, ev: AnypointSigninElementEventMap[K]) => any,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof AnypointSigninElementEventMap>(
    type: K,
    listener: (this: AnypointSigninElement, ev: AnypointSigninElementEventMap[K]) => any,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

/** The element's constructor, as `customElements.get('anypoint-signin')` returns it. */
export interface AnypointSigninElementConstructor {
  new (): AnypointSigninElement;
  readonly prototype: AnypointSigninElement;
  readonly observedAttributes: string[];
}

/**
 * Resolves with the `<anypoint-signin>` constructor once the element is defined, or with
 * `undefined` where there is no DOM (server-side rendering). Rejects if the WebAssembly
 * module cannot be loaded, e.g. under a Content-Security-Policy without 'wasm-unsafe-eval'.
 */
export declare const ready: Promise<AnypointSigninElementConstructor | undefined>;

declare global {
  interface HTMLElementTagNameMap {
    'anypoint-signin': AnypointSigninElement;
  }
  // The bubbling, composed events reach every ancestor, the document and the window.
  interface GlobalEventHandlersEventMap extends AnypointSigninBubblingEventMap {}
}

/** The React 19 props of `<anypoint-signin>`: attributes, and listeners named `on` + the event. */
export interface AnypointSigninReactEvents {
  'onanypoint-signin-success'?: (event: CustomEvent<AnypointSigninSuccessDetail>) => void;
  'onanypoint-signin-token-refreshed'?: (
    event: CustomEvent<AnypointSigninTokenRefreshedDetail>,
  ) => void;
  'onanypoint-signin-error'?: (event: CustomEvent<AnypointSigninErrorDetail>) => void;
  'onanypoint-signin-signout'?: (event: CustomEvent<AnypointSigninSignoutDetail>) => void;
  'onanypoint-signin-redirect'?: (event: CustomEvent<AnypointSigninRedirectDetail>) => void;
  'onanypoint-signin-code'?: (event: CustomEvent<AnypointSigninCodeDetail>) => void;
}

// React 19 sets a custom element's props as properties where the element has them and as
// attributes otherwise, and adds a function prop named `on<event>` as that event's
// listener. The two empty interfaces merge into React's own; they stand alone, and the
// block is inert, where @types/react is not installed.
declare module 'react' {
  interface ClassAttributes<T> {}
  interface HTMLAttributes<T> {}
  namespace JSX {
    interface IntrinsicElements {
      'anypoint-signin': ClassAttributes<AnypointSigninElement> &
        HTMLAttributes<AnypointSigninElement> &
        AnypointSigninAttributes &
        AnypointSigninReactEvents;
    }
  }
}
