// The <anypoint-signin> element class.
//
// wasm-bindgen cannot make a Rust type extend HTMLElement, so this thin class forwards every
// lifecycle callback, property and method to the Rust core (`createCore(host)` returns it).
// It is a static ES module imported by the wasm-bindgen glue: no eval, no Function(), so the
// element works under `script-src 'self' 'wasm-unsafe-eval'`.
//
// A Rust panic compiled as `panic=abort` (or immediate-abort) becomes a WebAssembly trap with
// no message and leaves the module unusable. Every synchronous call into Rust is guarded here,
// and traps raised inside async work are caught by a window listener, so the page always gets
// an `anypoint-signin-error` event (code `internal_error`) and a disabled button instead.

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

const live = new Set();
let broken = false;

function reportBroken(host, error) {
  broken = true;
  const targets = host ? [host] : [...live];
  for (const el of targets) {
    const button = el.shadowRoot && el.shadowRoot.querySelector('button');
    if (button) {
      button.disabled = true;
      button.removeAttribute('aria-busy');
    }
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

function isTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

function installTrapListener() {
  const onError = (error) => {
    if (isTrap(error) && !broken) reportBroken(null, error);
  };
  window.addEventListener('error', (e) => onError(e.error));
  window.addEventListener('unhandledrejection', (e) => onError(e.reason));
}

function guard(host, fn) {
  if (broken) return undefined;
  try {
    return fn();
  } catch (error) {
    reportBroken(host, error);
    return undefined;
  }
}

/** Adopts a constructable stylesheet: unlike a <style> element it needs no 'unsafe-inline'. */
export function adoptStyles(root, css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
}

/** Defines `tag` once; `createCore(host)` builds the Rust object behind each instance. */
export function defineElement(tag, createCore) {
  if (typeof customElements === 'undefined' || customElements.get(tag)) return;
  installTrapListener();

  class AnypointSignin extends HTMLElement {
    static get observedAttributes() {
      return Object.keys(ATTRIBUTES);
    }

    constructor() {
      super();
      this._core = guard(this, () => createCore(this));
    }

    connectedCallback() {
      // A property set before the element was defined shadows the prototype's accessor:
      // move it to the attribute so it takes effect.
      for (const prop of Object.values(ATTRIBUTES)) {
        if (Object.prototype.hasOwnProperty.call(this, prop)) {
          const value = this[prop];
          delete this[prop];
          this[prop] = value;
        }
      }
      live.add(this);
      guard(this, () => this._core.connected());
    }

    disconnectedCallback() {
      live.delete(this);
      guard(this, () => this._core.disconnected());
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (oldValue !== newValue && this._core) {
        guard(this, () => this._core.attributeChanged(name));
      }
    }

    /** Starts a sign-in; resolves once the browser navigates to the authorization server. */
    signIn(options) {
      return guard(this, () => this._core.signIn(options || {})) || Promise.resolve();
    }

    /** Resolves to an access token valid for at least another minute (renewed if needed). */
    getAccessToken() {
      return guard(this, () => this._core.getAccessToken())
        || Promise.reject(new Error('<anypoint-signin> is not available'));
    }

    /** Forgets the session, revokes its tokens and fires `anypoint-signin-signout`. */
    signOut() {
      return guard(this, () => this._core.signOut()) || Promise.resolve();
    }

    /** Completes a sign-in from the redirect URL (defaults to the current address). */
    handleRedirectCallback(url) {
      return guard(this, () => this._core.handleRedirectCallback(url || window.location.href))
        || Promise.resolve(false);
    }

    get signedIn() {
      return guard(this, () => this._core.signedIn()) === true;
    }

    get accessToken() {
      return guard(this, () => this._core.accessToken()) ?? null;
    }

    get user() {
      return guard(this, () => this._core.user()) ?? null;
    }
  }

  for (const [attribute, prop] of Object.entries(ATTRIBUTES)) {
    Object.defineProperty(AnypointSignin.prototype, prop, {
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

  customElements.define(tag, AnypointSignin);
}

/**
 * Runs `task` (returning a promise) while holding the page-origin-wide lock `name`, so that
 * tabs and frames sharing one rotating refresh token never refresh it at once. Uses the Web
 * Locks API; where it is missing, a lock marker in localStorage (no token ever goes there)
 * released through `storage` events, with a 10 s lease against a tab that died holding it.
 */
export function withLock(name, task) {
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  if (locks && typeof locks.request === 'function') return locks.request(name, () => task());
  return storageLock(name, task);
}

function storageLock(name, task) {
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
      const onStorage = (e) => {
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
    };
    attempt();
  });
}

const channels = new Map();

function channelNamed(name) {
  if (typeof BroadcastChannel === 'undefined') return null;
  if (!channels.has(name)) channels.set(name, new BroadcastChannel(name));
  return channels.get(name);
}

/** Posts `message` on the channel `name` to the other browsing contexts of this origin. */
export function broadcast(name, message) {
  const channel = channelNamed(name);
  if (channel) channel.postMessage(message);
}

/** Calls `listener(message)` for each message other contexts post on the channel `name`. */
export function onBroadcast(name, listener) {
  const channel = channelNamed(name);
  if (channel) channel.onmessage = (event) => listener(event.data);
}

/**
 * Resolves with the callback parameters that `popup`'s redirect page posts from `origin`;
 * rejects with 'closed' when the user closes it, or 'timeout' (closing it) after timeoutMs.
 */
export function waitForPopup(popup, origin, timeoutMs) {
  return new Promise((resolve, reject) => {
    const finish = (settle, value) => {
      clearInterval(poll);
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      settle(value);
    };
    const onMessage = (event) => {
      const data = event.data;
      if (event.source !== popup || event.origin !== origin) return;
      if (!data || data.type !== 'anypoint-signin-callback' || typeof data.params !== 'string') return;
      finish(resolve, data.params);
      popup.close();
    };
    const poll = setInterval(() => {
      if (popup.closed) finish(reject, 'closed');
    }, 250);
    const timer = setTimeout(() => {
      finish(reject, 'timeout');
      popup.close();
    }, timeoutMs);
    window.addEventListener('message', onMessage);
  });
}

/**
 * On the redirect page inside a sign-in popup (window `name`): posts the callback
 * parameters to the opener, only if it has this page's origin, and closes the popup.
 */
export function answerOpener(name) {
  if (window.name !== name || !window.opener) return false;
  const params = window.location.search.slice(1);
  window.opener.postMessage({ type: 'anypoint-signin-callback', params }, window.location.origin);
  window.close();
  return true;
}
