// The package's types as a TypeScript page uses them. Compiled, never run (make test-types);
// each `@ts-expect-error` line is a wrong use the types must refuse.
import { ready } from 'anypoint-signin';
import type {
  AnypointSigninElement,
  AnypointSigninElementConstructor,
  AnypointSigninError,
  AnypointSigninErrorCode,
  AnypointSigninUser,
} from 'anypoint-signin';

export async function page(): Promise<void> {
  const ctor: AnypointSigninElementConstructor | undefined = await ready;
  if (ctor) {
    const made: AnypointSigninElement = new ctor();
    const attrs: string[] = ctor.observedAttributes;
    void made;
    void attrs;
  }

  // The tag name maps to the element.
  const found = document.querySelector('anypoint-signin');
  if (!found) return;
  const el: AnypointSigninElement = found;
  const created: AnypointSigninElement = document.createElement('anypoint-signin');
  void created;

  // Properties mirror the attributes: read as string | null, set with the accepted values.
  el.clientId = 'my-client';
  el.redirectUri = 'https://app.example.com/';
  el.scopes = 'openid profile offline_access';
  el.region = 'eu';
  el.storage = 'session';
  el.profile = 'me';
  el.mode = 'popup';
  el.popupFallback = 'redirect';
  el.logoutUrl = null;
  el.exchangeUrl = undefined;
  el.issuer = 'https://anypoint.mulesoft.com/accounts/api/v2/oauth2';
  const region: string | null = el.region;
  void region;
  // @ts-expect-error a region that does not exist
  el.region = 'apac';
  // @ts-expect-error the mode's values are redirect and popup
  el.mode = 'tab';
  // The looks: size, shape, theme and text, with their values.
  el.size = 'small';
  el.shape = 'rectangular';
  el.theme = 'outline';
  el.text = 'short';
  const theme: string | null = el.theme;
  void theme;
  // @ts-expect-error the sizes are small, medium and large
  el.size = 'xl';
  // @ts-expect-error text takes a value, not the text itself
  el.text = 'Sign in';
  // @ts-expect-error the property is camelCase (the attribute is clientid)
  el.clientid = 'x';
  // The labels, in any language; the element's language is HTMLElement's own `lang`.
  el.signInLabel = 'Entrar en Acme';
  el.signOutLabel = null;
  el.busyLabel = 'Un momento…';
  el.userLabel = 'Hola, {name}';
  el.lang = 'es';
  const label: string | null = el.userLabel;
  void label;
  // @ts-expect-error the property is camelCase (the attribute is signinlabel)
  el.signinlabel = 'x';

  // Read-only state.
  const signedIn: boolean = el.signedIn;
  const token: string | null = el.accessToken;
  const user: AnypointSigninUser | null = el.user;
  const who: unknown = user?.['sub'];
  void signedIn;
  void token;
  void who;
  // @ts-expect-error signedIn is read-only
  el.signedIn = true;
  // @ts-expect-error accessToken is read-only
  el.accessToken = 'forged';

  // Methods.
  await el.signIn();
  await el.signIn({ prompt: 'login', loginHint: 'max' });
  await el.signIn({ prompt: 'a-prompt-of-another-provider' });
  // @ts-expect-error the option is loginHint
  await el.signIn({ login_hint: 'max' });
  const accessToken: string = await el.getAccessToken();
  const handled: boolean = await el.handleRedirectCallback();
  const handledUrl: boolean = await el.handleRedirectCallback(location.href);
  await el.signOut();
  void accessToken;
  void handled;
  void handledUrl;
  // @ts-expect-error getAccessToken resolves to a string, not a token object
  const notAnObject: { token: string } = await el.getAccessToken();
  void notAnObject;

  try {
    await el.getAccessToken();
  } catch (e) {
    const error = e as AnypointSigninError;
    const code: AnypointSigninErrorCode = error.code;
    if (code === 'session_expired' || code === 'access_denied') void error.message;
  }

  // Events, with their detail typed.
  el.addEventListener('anypoint-signin-success', (e) => {
    const t: string = e.detail.accessToken;
    const expiresAt: number | null = e.detail.expiresAt;
    const restored: boolean = e.detail.restored;
    const sub: string | undefined = e.detail.claims?.sub;
    void [t, expiresAt, restored, sub];
    // @ts-expect-error the detail's field is accessToken
    void e.detail.access_token;
  });
  el.addEventListener('anypoint-signin-token-refreshed', (e) => {
    const renewed: string = e.detail.accessToken;
    void renewed;
    // @ts-expect-error a renewal carries no claims
    void e.detail.claims;
  });
  el.addEventListener('anypoint-signin-error', (e) => {
    const code: AnypointSigninErrorCode = e.detail.code;
    const description: string = e.detail.description;
    const cause: string | null = e.detail.cause;
    if (code === 'popup_blocked') void el.signIn();
    void [description, cause];
    // @ts-expect-error the cause may be null
    const sure: string = e.detail.cause;
    void sure;
  });
  el.addEventListener('anypoint-signin-signout', (e) => {
    // @ts-expect-error sign-out's detail is empty
    void e.detail.user;
  });
  el.addEventListener('anypoint-signin-redirect', (e) => {
    const url: string = e.detail.url;
    if (url.startsWith('https://')) e.preventDefault();
  });
  el.addEventListener('anypoint-signin-code', (e) => {
    const { code, codeVerifier, redirectUri, clientId } = e.detail;
    e.detail.respondWith(
      fetch('/api/anypoint/token', {
        method: 'POST',
        body: JSON.stringify({ code, code_verifier: codeVerifier, redirect_uri: redirectUri, client_id: clientId }),
      }).then((r) => r.json() as Promise<{ access_token: string; token_type: string }>),
    );
    // @ts-expect-error respondWith takes the token response, not a number
    e.detail.respondWith(42);
  });
  // Other events keep their own types.
  el.addEventListener('click', (e) => {
    const x: number = e.clientX;
    void x;
  });

  // The bubbling events reach ancestors and the document, typed there too; the code event
  // (on the element only) does not.
  document.addEventListener('anypoint-signin-error', (e) => {
    const code: AnypointSigninErrorCode = e.detail.code;
    void code;
  });
  document.body.addEventListener('anypoint-signin-success', (e) => {
    const user2: AnypointSigninUser | null = e.detail.user;
    void user2;
  });
  document.addEventListener('anypoint-signin-code', (e) => {
    // @ts-expect-error anypoint-signin-code never reaches the document: a plain Event here
    void e.detail;
  });
}
