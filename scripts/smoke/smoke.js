// Loads the built package the way a user page does and writes a verdict into #verdict,
// which scripts/smoke-pkg.sh reads from the DOM that headless Chromium dumps.

const TAG = 'anypoint-signin';
const LABEL = 'Sign in with Anypoint Platform';
const problems = [];
const notes = [];

const text = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ');
const realError = console.error;
console.error = (...args) => {
  problems.push(`console.error: ${text(args)}`);
  realError.apply(console, args);
};
const realWarn = console.warn;
console.warn = (...args) => {
  // The MIME-type fallback works, but means the package is served or loaded wrongly.
  (/application\/wasm|deprecated/i.test(text(args)) ? problems : notes).push(`console.warn: ${text(args)}`);
  realWarn.apply(console, args);
};
window.addEventListener('error', (e) => problems.push(`error event: ${e.message || e.error}`));
window.addEventListener('unhandledrejection', (e) => problems.push(`unhandled rejection: ${(e.reason && e.reason.message) || e.reason}`));
document.addEventListener('securitypolicyviolation', (e) =>
  problems.push(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`));
document.addEventListener('anypoint-signin-error', (e) => problems.push(`anypoint-signin-error event: ${JSON.stringify(e.detail)}`));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function within(ms, promise, what) {
  return Promise.race([promise, sleep(ms).then(() => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); })]);
}
function check(ok, message) {
  if (!ok) problems.push(message);
  return ok;
}

function checkRendered(el, name) {
  const ctor = customElements.get(TAG);
  if (!check(ctor && el instanceof ctor, `${name}: not upgraded to the ${TAG} class`)) return;
  if (!check(el.shadowRoot, `${name}: no open shadowRoot`)) return;
  const button = el.shadowRoot.querySelector('button');
  if (!check(button, `${name}: no <button> in the shadow root`)) return;
  const label = button.textContent.replace(/\s+/g, ' ').trim();
  check(label.includes(LABEL), `${name}: button text is "${label}", expected it to contain "${LABEL}"`);
  const box = button.getBoundingClientRect();
  check(box.width > 0 && box.height > 0, `${name}: button has no size (${box.width}x${box.height})`);
  notes.push(`${name}: button "${label}" ${Math.round(box.width)}x${Math.round(box.height)}${button.disabled ? ' (disabled)' : ''}`);
}

async function run() {
  const started = performance.now();
  const entry = await within(10000, import('/pkg/anypoint-signin.js'), 'the entry module');
  if (!check(entry.ready && typeof entry.ready.then === 'function', 'the entry module exports no `ready` promise')) return;
  const ctor = await within(10000, entry.ready, '`ready`');
  notes.push(`ready after ${Math.round(performance.now() - started)} ms`);
  check(customElements.get(TAG), `customElements.get('${TAG}') is undefined after ready`);
  check(ctor === customElements.get(TAG), '`ready` did not resolve with the element constructor');

  const dynamic = document.createElement(TAG);
  dynamic.setAttribute('clientid', 'smoke-test-client');
  dynamic.setAttribute('redirecturi', `${location.origin}/callback`);
  document.body.append(dynamic);
  // Lets async work started by connectedCallback run, so its errors are seen.
  await sleep(200);

  checkRendered(document.getElementById('from-html'), 'element from the HTML');
  checkRendered(dynamic, 'element created by script');

  // A second import (e.g. another bundle) must reuse the definition, not throw.
  const again = await within(5000, import('/pkg/anypoint-signin.js?again'), 'a second copy of the entry');
  await within(5000, again.ready, 'the second copy\'s `ready`');
  dynamic.remove();
  await sleep(50);
}

run()
  .catch((error) => problems.push(`threw: ${(error && error.stack) || error}`))
  .finally(() => {
    const verdict = document.getElementById('verdict');
    verdict.textContent = [problems.length ? 'SMOKE FAIL' : 'SMOKE PASS', ...problems.map((p) => `problem: ${p}`), ...notes.map((n) => `note: ${n}`)].join('\n');
    verdict.dataset.done = 'true';
  });
