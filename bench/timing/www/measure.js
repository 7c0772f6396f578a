// Measures, inside the page, the two timing figures of `make bench` (bench/timing):
//
// - clickable: performance.now() (time origin = navigation start) when the button in the
//   shadow root of <anypoint-signin> first exists, is connected, is not disabled and has a
//   non-zero box;
// - outcome: performance.now() when `anypoint-signin-success` (or `-error`) reaches the
//   window, with the page's fetch/XHR requests that started before it.
//
// It is the page's first module script, so it is listening before the element's module
// runs. It checks when the tag gets defined (custom elements upgrade synchronously inside
// `define`), on every mutation of the shadow root, and on each animation frame as a
// fallback; it never polls in a busy loop, which would steal the main thread it measures.
// The driver reads `window.anypointBench` over WebDriver.

const TAG = 'anypoint-signin';

function settle() {
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const clickable = settle();
const outcome = settle();

window.anypointBench = {
  /** True on the redirect URI page of a sign-in (read before the element cleans the URL). */
  callback: new URLSearchParams(window.location.search).has('code'),
  /** Resolves to the milliseconds from navigation start to a clickable button. */
  clickable: clickable.promise,
  /** Resolves to `{event, ms, code, requests}` at the first success or error event. */
  outcome: outcome.promise,
  /** The outcome once there is one, read without waiting (a sign-in page's error). */
  result: null,
};

function button() {
  const host = document.querySelector(TAG);
  const root = host && host.shadowRoot;
  return root ? root.querySelector('button') : null;
}

function isClickable(b) {
  if (!b || !b.isConnected || b.disabled) return false;
  const box = b.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}

let done = false;
let observer = null;
let observed = null;

function check() {
  if (done) return;
  const now = performance.now();
  if (isClickable(button())) {
    done = true;
    if (observer) observer.disconnect();
    clickable.resolve(now);
    return;
  }
  const host = document.querySelector(TAG);
  const root = host && host.shadowRoot;
  if (root && root !== observed) {
    observed = root;
    if (observer) observer.disconnect();
    observer = new MutationObserver(check);
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    observer.observe(host, { attributes: true });
  }
}

function frame() {
  check();
  if (!done) requestAnimationFrame(frame);
}

customElements.whenDefined(TAG).then(check);
requestAnimationFrame(frame);

// Only what the request timeline needs: the path (never a query string, which may hold a
// code or a token), whether it went to the page's own origin, and when it ran.
function requestsBefore(ms) {
  return performance
    .getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest')
    .filter((e) => e.startTime <= ms)
    .map((e) => {
      const url = new URL(e.name);
      return {
        path: url.pathname,
        sameOrigin: url.origin === window.location.origin,
        start: e.startTime,
        end: e.responseEnd,
      };
    });
}

let reported = false;
function report(event, e) {
  if (reported) return;
  reported = true;
  const ms = performance.now();
  const code = event === 'error' && e.detail ? String(e.detail.code) : null;
  window.anypointBench.result = { event, ms, code, requests: requestsBefore(ms) };
  outcome.resolve(window.anypointBench.result);
}

// Capturing on the window: the first listener to hear the (composed, bubbling) event.
window.addEventListener('anypoint-signin-success', (e) => report('success', e), true);
window.addEventListener('anypoint-signin-error', (e) => report('error', e), true);
