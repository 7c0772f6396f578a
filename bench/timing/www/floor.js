// The floor of the first timing figure of `make bench` (bench/timing): a plain, hand-written
// custom element rendering what <anypoint-signin> renders before anyone signs in: an open
// shadow root with an adopted stylesheet, a <button> with its label, and the empty user and
// message lines. No WebAssembly, no configuration, no behaviour: no element can show the
// same button sooner, so the package's time is read as a multiple of this one.
//
// CSS is a copy of the element's stylesheet (js/element.js), so that both pages
// style and lay out the same rules.

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

const LABEL = 'Sign in with Anypoint Platform';

class FloorSignin extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('part', 'button');
    button.setAttribute('aria-label', LABEL);
    button.setAttribute('aria-busy', 'false');
    const label = document.createElement('span');
    label.setAttribute('part', 'label');
    label.textContent = LABEL;
    button.append(label);
    const user = document.createElement('span');
    user.setAttribute('part', 'user');
    const message = document.createElement('span');
    message.setAttribute('part', 'message');
    message.setAttribute('role', 'status');
    message.setAttribute('aria-live', 'polite');
    root.append(button, user, message);
  }
}

customElements.define('anypoint-signin', FloorSignin);
