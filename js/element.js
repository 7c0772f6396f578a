// The <anypoint-signin> element class and the runner of the Rust flow machine.
//
// wasm-bindgen cannot make a Rust type extend HTMLElement, so this class forwards lifecycle
// callbacks, clicks and method calls to the machine as inputs, and performs the effects it
// returns: fetch, digest, verify, storage, navigation, events, locks, broadcasts, popups,
// timers and the view. It makes no sign-in decision of its own. It is a static ES module
// imported by the wasm-bindgen glue: no eval, no Function(), so the element works under
// `script-src 'self' 'wasm-unsafe-eval'`.
//
// A Rust panic compiled as `panic=abort` becomes a WebAssembly trap with no message and
// leaves the module unusable. Every call into Rust is guarded here, so the page gets an
// `anypoint-signin-error` event (code `internal_error`) and a disabled button instead.

/** @typedef {{ handle(input: string, now: number, random: Uint8Array): string, state(): string }} Core */

const TAG = 'anypoint-signin';
const FIELD = '\u001f';
const RECORD = '\u001e';
const PREFIX = 'anypoint-signin:';
const POPUP_NAME = 'anypoint-signin-popup';
const SIGN_IN = 'Sign in with Anypoint Platform';
const SIGN_OUT = 'Sign out';

const ATTRIBUTES = {
  clientid: 'clientId',
  redirecturi: 'redirectUri',
  scopes: 'scopes',
  issuer: 'issuer',
  region: 'region',
  storage: 'storage',
  profile: 'profile',
  logouturl: 'logoutUrl',
  mode: 'mode',
  popupfallback: 'popupFallback',
  exchangeurl: 'exchangeUrl',
};

const CSS = `:host{display:inline-flex;flex-direction:column;align-items:flex-start;gap:.375rem;font-family:system-ui,sans-serif}
:host([hidden]){display:none}
button{display:inline-flex;align-items:center;gap:.5rem;min-height:44px;padding:.5rem 1rem;border:0;border-radius:4px;background:var(--anypoint-signin-background,#005fb2);color:var(--anypoint-signin-color,#fff);font:600 1rem/1.25 system-ui,sans-serif;cursor:pointer}
button:hover:not(:disabled){filter:brightness(1.08)}
button:focus-visible{outline:3px solid var(--anypoint-signin-focus-ring,#032d60);outline-offset:2px}
button:disabled{opacity:.6;cursor:not-allowed}
button[aria-busy=true]{cursor:progress}
button[aria-busy=true]::before{content:"";width:1em;height:1em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:s .8s linear infinite}
@keyframes s{to{transform:rotate(1turn)}}
[part=user],[part=message]{font-size:.875rem}
[part=message]{color:var(--anypoint-signin-error-color,#b00020)}
[part=user]:empty,[part=message]:empty{display:none}`;

/** @type {Core | null} */
let core = null;
let broken = false;
let nextId = 1;
/** @type {Map<number, AnypointSigninElement>} */
const elements = new Map();
/** @type {Map<number, {resolve: (v: any) => void, reject: (e: any) => void, stopped: () => void}>} */
const calls = new Map();
/** @type {Map<number, number>} */
const timers = new Map();
/** @type {Map<number, () => void>} */
const locks = new Map();
/** @type {Map<number, {window: Window, stop: () => void}>} */
const popups = new Map();
/** @type {Map<string, BroadcastChannel>} */
const channels = new Map();

/** The `BroadcastChannel` `name` (one object per name, so it never hears itself). */
function channelNamed(/** @type {string} */ name) {
  if (typeof BroadcastChannel === 'undefined') return null;
  let channel = channels.get(name);
  if (!channel) {
    channel = new BroadcastChannel(name);
    channels.set(name, channel);
  }
  return channel;
}

/** Replaces the wire's separators in a value, so it cannot forge a field. */
const clean = (/** @type {string} */ value) => String(value).replace(/[\u001e\u001f]/g, '\ufffd');

/** The element's `sessionStorage` items as wire fields (key, value, ...). */
function storedItems() {
  const out = [];
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (key && key.startsWith(PREFIX)) out.push(clean(key), clean(sessionStorage.getItem(key) || ''));
    }
  } catch (_) {
    // Storage blocked by the browser: the machine sees none.
  }
  return out;
}

/** @type {Array<Array<string | number>>} */
const queue = [];
let feeding = false;
/** Non-cancelable events of connecting wait a microtask, so that listeners added right
 * after the element was created still hear them. */
let deferEvents = false;

/**
 * Sends one input to the machine and performs the effects it returns. An input reported
 * while effects are being performed waits for them, so each batch is performed whole and
 * in order; inputs that come before the machine (the element is defined, and its button
 * shown, while the WebAssembly module still loads) wait for it.
 */
function feed(/** @type {Array<string | number>} */ fields) {
  queue.push(fields);
  drain();
}

function drain() {
  if (feeding || !core) return;
  feeding = true;
  try {
    while (queue.length && !broken) {
      const input = /** @type {Array<string | number>} */ (queue.shift());
      let wire;
      try {
        const random = crypto.getRandomValues(new Uint8Array(128));
        wire = core.handle(input.join(FIELD), Date.now(), random);
      } catch (error) {
        reportBroken(error);
        return;
      }
      deferEvents = input[0] === 'C' || input[0] === 'A';
      if (wire) for (const effect of wire.split(RECORD)) perform(effect.split(FIELD));
      deferEvents = false;
    }
  } finally {
    if (broken) queue.length = 0;
    feeding = false;
  }
}

/** Stops the element for good: buttons disabled, pending calls ended quietly. */
function stop() {
  broken = true;
  for (const el of elements.values()) {
    el._button.disabled = true;
    el._button.removeAttribute('aria-busy');
  }
  for (const { stopped } of calls.values()) stopped();
  calls.clear();
}

function reportBroken(/** @type {any} */ error) {
  stop();
  for (const el of elements.values()) {
    el.dispatchEvent(new CustomEvent('anypoint-signin-error', {
      bubbles: true,
      composed: true,
      detail: {
        code: 'internal_error',
        description: 'The sign-in component stopped because of an internal error; reload the page to try again.',
        cause: String((error && error.message) || error),
      },
    }));
  }
}

/** Performs one effect (see `src/browser/mod.rs` for the wire format). */
function perform(/** @type {string[]} */ f) {
  const ticket = Number(f[1]);
  switch (f[0]) {
    case 'f': return doFetch(ticket, f[2], f[3], f[4], f[5], f[6] === '1');
    case 'd':
      crypto.subtle.digest('SHA-256', new TextEncoder().encode(f[2]))
        .then((d) => feed(['G', ticket, base64url(new Uint8Array(d))]));
      return;
    case 'v': return verify(ticket, f[2], f[3], f[4], f[5]);
    case 's':
      try {
        if (f[2] === '1') sessionStorage.setItem(f[1], f[3]);
        else sessionStorage.removeItem(f[1]);
      } catch (_) {
        // Storage blocked or full: the session lives in memory only.
      }
      return;
    case 'u': history.replaceState(null, '', f[1]); return;
    case 'n': location.assign(f[1]); return;
    case 'e': return dispatch(ticket, f);
    case 'r': { const el = elements.get(ticket); if (el) el._render(f); return; }
    case 'o': {
      const win = openPopup();
      if (win) popups.set(ticket, { window: win, stop: () => {} });
      feed(['W', ticket, win ? '1' : '']);
      return;
    }
    case 'p': return showInPopup(ticket, f[2], f[3]);
    case 'x': { const p = popups.get(ticket); if (p) { p.stop(); p.window.close(); popups.delete(ticket); } return; }
    case 'a':
      window.opener.postMessage({ type: 'anypoint-signin-callback', params: f[1] }, location.origin);
      window.close();
      return;
    case 't': timers.set(ticket, window.setTimeout(() => { timers.delete(ticket); feed(['M', ticket]); }, Number(f[2]))); return;
    case 'c': clearTimeout(timers.get(ticket)); timers.delete(ticket); return;
    case 'l': withLock(f[2], () => new Promise((release) => {
      locks.set(ticket, /** @type {() => void} */ (release));
      feed(['L', ticket, ...storedItems()]);
    })); return;
    case 'k': { const release = locks.get(ticket); locks.delete(ticket); if (release) release(); return; }
    case 'i': {
      const channel = channelNamed(f[1]);
      // Messages travel as plain objects of strings; the machine reads them as a form.
      if (channel) {
        channel.onmessage = (e) => {
          if (e.data && typeof e.data === 'object') feed(['B', clean(new URLSearchParams(e.data).toString())]);
        };
      }
      return;
    }
    case 'b': {
      const channel = channelNamed(f[1]);
      if (channel) channel.postMessage(Object.fromEntries(new URLSearchParams(f[2])));
      return;
    }
    case 'z': {
      const call = calls.get(ticket);
      if (!call) return;
      calls.delete(ticket);
      if (f[2] === '1') call.resolve(f[3] ? JSON.parse(f[3]) : undefined);
      else call.reject(signinError(f[3], f[4]));
      return;
    }
    default:
  }
}

/** An `Error` whose `code` and `description` match the error event's detail. */
function signinError(/** @type {string} */ code, /** @type {string} */ description) {
  const error = new Error(description);
  error.name = 'AnypointSigninError';
  return Object.assign(error, { code });
}

function base64url(/** @type {Uint8Array} */ bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(/** @type {string} */ text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Sends a request; only the app's own backend gets cookies. */
function doFetch(
  /** @type {number} */ ticket, /** @type {string} */ type, /** @type {string} */ url,
  /** @type {string} */ body, /** @type {string} */ bearer, /** @type {boolean} */ cookies,
) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (type !== 'GET') headers['Content-Type'] = type;
  if (type === 'application/json') headers.Accept = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  fetch(url, {
    method: type === 'GET' ? 'GET' : 'POST',
    headers,
    body: type === 'GET' ? undefined : body,
    credentials: cookies ? 'same-origin' : 'omit',
  })
    .then((r) => r.text().then((text) => feed(['R', ticket, r.status, text])))
    .catch((e) => feed(['R', ticket, '', clean((e && e.message) || 'request failed')]));
}

/** Checks a JWS signature with WebCrypto (RFC 7518 §3.3, §3.4). */
function verify(
  /** @type {number} */ ticket, /** @type {string} */ alg, /** @type {string} */ jwk,
  /** @type {string} */ data, /** @type {string} */ signature,
) {
  const rsa = alg === 'RS256';
  const subtle = crypto.subtle;
  subtle.importKey('jwk', JSON.parse(jwk),
    rsa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' },
    false, ['verify'])
    .then((key) => subtle.verify(rsa ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' },
      key, fromBase64url(signature), new TextEncoder().encode(data)))
    .then((valid) => feed(['V', ticket, valid ? '1' : '0']), (e) => feed(['V', ticket, '', clean(String(e && e.message))]));
}

/** Fires an event; a cancelable one reports its fate, and may offer `respondWith`. */
function dispatch(/** @type {number} */ element, /** @type {string[]} */ f) {
  const el = elements.get(element) || elements.values().next().value;
  const [, , name, detailText, cancelable, respond, bubbles, ticket] = f;
  const detail = JSON.parse(detailText);
  /** @type {Promise<any> | null} */
  let answer = null;
  if (respond === '1') detail.respondWith = (/** @type {any} */ value) => { answer = Promise.resolve(value); };
  const event = new CustomEvent(name, {
    detail, cancelable: cancelable === '1', bubbles: bubbles === '1', composed: bubbles === '1',
  });
  if (!ticket) {
    if (!el) return;
    if (deferEvents) queueMicrotask(() => el.dispatchEvent(event));
    else el.dispatchEvent(event);
    return;
  }
  const notCancelled = el ? el.dispatchEvent(event) : true;
  if (respond === '1') delete detail.respondWith;
  feed(['E', ticket, notCancelled ? '' : '1', answer ? '1' : '']);
  if (answer) {
    /** @type {Promise<any>} */ (answer).then(
      (v) => feed(['Y', ticket, '1', clean(typeof v === 'string' ? v : JSON.stringify(v))]),
      (e) => feed(['Y', ticket, '', clean((e && e.message) || String(e))]),
    );
  }
}

/** Opens the blank popup, centred over the page; `null` when the browser blocked it. */
function openPopup() {
  const width = 520;
  const height = 680;
  const left = Math.round(window.screenX + (window.outerWidth - width) / 2);
  const top = Math.round(window.screenY + (window.outerHeight - height) / 2);
  return window.open('', POPUP_NAME, `popup,width=${width},height=${height},left=${left},top=${top}`);
}

/** Points the popup at `url`; reports the callback its redirect page posts from `origin`, or its closing. */
function showInPopup(/** @type {number} */ ticket, /** @type {string} */ url, /** @type {string} */ origin) {
  const popup = popups.get(ticket);
  if (!popup) return;
  const win = popup.window;
  const stop = () => {
    clearInterval(poll);
    window.removeEventListener('message', onMessage);
  };
  const onMessage = (/** @type {MessageEvent} */ event) => {
    const data = event.data;
    if (event.source !== win || event.origin !== origin) return;
    if (!data || data.type !== 'anypoint-signin-callback' || typeof data.params !== 'string') return;
    stop();
    popups.delete(ticket);
    win.close();
    feed(['X', ticket, '1', clean(data.params)]);
  };
  // The redirect page posts, then closes: its message may still be on its way when the
  // window is seen closed, so the closing counts only if no message follows.
  const poll = setInterval(() => {
    if (!win.closed) return;
    clearInterval(poll);
    setTimeout(() => {
      if (!popups.has(ticket)) return;
      stop();
      popups.delete(ticket);
      feed(['X', ticket, '']);
    }, 500);
  }, 250);
  popup.stop = stop;
  window.addEventListener('message', onMessage);
  try {
    win.location.href = url;
  } catch (_) {
    // A popup closed at once: its closing is reported by the poll.
  }
}

/**
 * Runs `task` while holding the origin-wide lock `name`, so that tabs and frames sharing one
 * rotating refresh token never refresh it at once. Uses the Web Locks API; where it is
 * missing, a lock marker in localStorage (no token ever goes there) released through
 * `storage` events, with a 10 s lease against a tab that died holding it.
 */
function withLock(/** @type {string} */ name, /** @type {() => Promise<any>} */ task) {
  const lockManager = typeof navigator !== 'undefined' && navigator.locks;
  if (lockManager && typeof lockManager.request === 'function') return lockManager.request(name, () => task());
  return storageLock(name, task);
}

function storageLock(/** @type {string} */ name, /** @type {() => Promise<any>} */ task) {
  const key = `anypoint-signin:lock:${name}`;
  const me = Math.random().toString(36).slice(2);
  const holder = () => (localStorage.getItem(key) || '').split(' ');
  return new Promise((resolve, reject) => {
    const wait = () => {
      const retry = () => {
        window.removeEventListener('storage', onStorage);
        clearTimeout(timer);
        attempt();
      };
      const onStorage = (/** @type {StorageEvent} */ e) => {
        if (e.key === key && e.newValue === null) retry();
      };
      const timer = setTimeout(retry, 500);
      window.addEventListener('storage', onStorage);
    };
    const attempt = () => {
      const [owner, until] = holder();
      if (owner && Number(until) > Date.now()) return wait();
      localStorage.setItem(key, `${me} ${Date.now() + 10000}`);
      // Two contexts may have written at once: the one whose marker stayed wins.
      setTimeout(() => {
        if (holder()[0] !== me) return wait();
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            if (holder()[0] === me) localStorage.removeItem(key);
          });
      }, 30);
      return undefined;
    };
    attempt();
  });
}

let inPopup = false;

/** The page as it is now: its address and the element's stored items (a page script or
 * another element may have changed either since the last input). */
function pageNow() {
  feed(['P', clean(location.href), inPopup ? '1' : '', ...storedItems()]);
}

/** The element's observed attributes as wire fields (name, value, ...). */
function attributeFields(/** @type {HTMLElement} */ el) {
  const out = [];
  for (const name of Object.keys(ATTRIBUTES)) {
    const value = el.getAttribute(name);
    if (value !== null) out.push(name, clean(value));
  }
  return out;
}

class AnypointSigninElement extends HTMLElement {
  static get observedAttributes() {
    return Object.keys(ATTRIBUTES);
  }

  constructor() {
    super();
    this._id = nextId++;
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const make = (/** @type {string} */ tag, /** @type {string} */ part) => {
      const node = document.createElement(tag);
      node.setAttribute('part', part);
      return node;
    };
    this._button = /** @type {HTMLButtonElement} */ (make('button', 'button'));
    this._button.type = 'button';
    this._label = make('span', 'label');
    this._button.append(this._label);
    this._user = make('span', 'user');
    this._message = make('span', 'message');
    this._message.setAttribute('role', 'status');
    this._message.setAttribute('aria-live', 'polite');
    root.append(this._button, this._user, this._message);
    this._render(['r', '', '', '', '', '', '']);
    // The package's entry reports a module that could not load (code load_failed) on the
    // elements themselves: nothing will answer their clicks.
    this.addEventListener('anypoint-signin-error', (e) => {
      const detail = /** @type {CustomEvent} */ (e).detail;
      if (!core && detail && detail.code === 'load_failed') stop();
    });
    this._button.addEventListener('click', () => {
      pageNow();
      feed(['K', this._id]);
    });
  }

  connectedCallback() {
    // A property set before the element was defined shadows the prototype's accessor:
    // move it to the attribute so it takes effect.
    for (const prop of Object.values(ATTRIBUTES)) {
      if (Object.prototype.hasOwnProperty.call(this, prop)) {
        const value = /** @type {any} */ (this)[prop];
        delete (/** @type {any} */ (this))[prop];
        /** @type {any} */ (this)[prop] = value;
      }
    }
    elements.set(this._id, this);
    pageNow();
    feed(['C', this._id, ...attributeFields(this)]);
  }

  disconnectedCallback() {
    elements.delete(this._id);
    feed(['D', this._id]);
  }

  attributeChangedCallback(/** @type {string} */ _name, /** @type {string | null} */ oldValue, /** @type {string | null} */ newValue) {
    if (oldValue !== newValue && elements.has(this._id)) feed(['A', this._id, ...attributeFields(this)]);
  }

  /** Shows a view: signed in or out, busy, disabled with a reason, and a message. */
  _render(/** @type {string[]} */ f) {
    const [, , signedIn, busy, name, unavailable, message] = f;
    const b = this._button;
    this._label.textContent = signedIn ? SIGN_OUT : SIGN_IN;
    b.setAttribute('aria-label', signedIn ? `${SIGN_OUT} (${name})` : SIGN_IN);
    b.setAttribute('aria-busy', busy ? 'true' : 'false');
    b.disabled = broken || !!busy || !!unavailable;
    this._user.textContent = signedIn ? `Signed in as ${name}` : '';
    this._message.textContent = unavailable || message || '';
  }

  /**
   * A method call: its promise settles when the machine says. Once the module stopped, a
   * call ends quietly with `stoppedValue`, or rejects when it has none (no token to give).
   */
  _call(/** @type {string} */ kind, /** @type {Array<string | number>} */ args, /** @type {any} */ stoppedValue) {
    return new Promise((resolve, reject) => {
      const stopped = () => (stoppedValue === null
        ? reject(new Error('<anypoint-signin> is not available'))
        : resolve(stoppedValue));
      if (broken) {
        stopped();
        return;
      }
      const ticket = nextId++;
      calls.set(ticket, { resolve, reject, stopped });
      pageNow();
      feed([kind, this._id, ticket, ...args]);
    });
  }

  /** Starts a sign-in; resolves once the browser navigates to the authorization server. */
  signIn(/** @type {{prompt?: string, loginHint?: string, popupTimeoutMs?: number, trap?: string}} */ options = {}) {
    const o = options || {};
    return this._call('S', [clean(o.prompt || ''), clean(o.loginHint || ''), o.popupTimeoutMs ?? '', clean(o.trap || '')], undefined);
  }

  /** Resolves to an access token valid for at least another minute (renewed if needed). */
  getAccessToken() {
    return this._call('T', [], null);
  }

  /** Forgets the session, revokes its tokens and fires `anypoint-signin-signout`. */
  signOut() {
    return this._call('O', [], undefined);
  }

  /** Completes a sign-in from the redirect URL (defaults to the current address). */
  handleRedirectCallback(/** @type {string | undefined} */ url) {
    return this._call('H', [clean(url || location.href)], false);
  }

  /** The session as the machine has it: [signedIn, accessToken, user JSON]. */
  _state() {
    try {
      return core && !broken ? core.state().split(FIELD) : [];
    } catch (error) {
      reportBroken(error);
      return [];
    }
  }

  get signedIn() {
    return this._state()[0] === '1';
  }

  get accessToken() {
    return this._state()[1] || null;
  }

  get user() {
    const user = this._state()[2];
    return user ? JSON.parse(user) : null;
  }
}

for (const [attribute, prop] of Object.entries(ATTRIBUTES)) {
  Object.defineProperty(AnypointSigninElement.prototype, prop, {
    configurable: true,
    enumerable: true,
    get() {
      return this.getAttribute(attribute);
    },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, String(value));
    },
  });
}

/** The browser tests' way to make the next sign-in fetch the provider's documents anew
 * (only a test build's core has `forgetDocuments`). */
export function forgetDocuments() {
  const machine = /** @type {any} */ (core);
  if (!machine || typeof machine.forgetDocuments !== 'function') return;
  pageNow();
  const wire = machine.forgetDocuments();
  if (wire) for (const effect of wire.split(RECORD)) perform(effect.split(FIELD));
}

/** Hands the runner its machine (`Core` from Rust), once; waiting inputs go to it. */
export function defineElement(/** @type {Core} */ machine) {
  if (core) return;
  core = machine;
  drain();
}

// The element is defined as soon as this module runs, before the WebAssembly module has
// loaded: the button shows at once, and what happens meanwhile waits for the machine.
if (typeof customElements !== 'undefined' && !customElements.get(TAG)) {
  inPopup = window.name === POPUP_NAME && !!window.opener;
  customElements.define(TAG, AnypointSigninElement);
}
