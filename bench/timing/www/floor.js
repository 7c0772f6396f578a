// The floor of the first timing figure of `make bench` (bench/timing): a plain, hand-written
// custom element rendering what <anypoint-signin> renders before anyone signs in: an open
// shadow root with an adopted stylesheet, a <button> with its icon (inline SVG in the `icon`
// slot), the hidden spinner and its label (the default slot and the text), and the empty
// user line, message and status. No WebAssembly, no configuration, no behaviour: no
// element can show the same button sooner, so the package's time is read as a multiple of
// this one.
//
// CSS and ICON are copies of the element's (js/element.js), so that both pages style, lay
// out and draw the same things.

const CSS = `*{--b:#005fb2;--c:#fff;--o:transparent;--d:#e4e7eb;--e:#4f5762;--m:#b00020;--f:#032d60;--a:#005fb2;--t:#fff;--g:#fff;--u:#1b1f24;--r:4px;--z:1rem;--h:44px;--p:1rem}
:host([theme=dark]) *{--b:#131314;--c:#e3e3e3;--o:#8e918f;--d:#2a2b2e;--e:#a3a7ad;--m:#ffb4ab;--f:#a8c7fa;--a:#a8c7fa;--t:#062e6f;--g:#131314;--u:#e3e3e3}
:host([theme=outline]) *{--b:#fff;--c:#005fb2;--o:#005fb2;--d:#f1f3f5;--e:#576070}
:host([size=small]) *{--z:.875rem;--h:32px;--p:.75rem}
:host([size=large]) *{--z:1.125rem;--h:52px;--p:1.25rem}
:host([shape=pill]) *{--r:99em}
:host{display:inline-flex;flex-flow:column;align-items:flex-start;gap:.375rem;font-family:var(--anypoint-signin-font,system-ui,sans-serif)}
:host([hidden]),.w[hidden],[part=message]:empty,[aria-busy=true] [part=icon],[part=spinner]{display:none}
button{--B:var(--anypoint-signin-background,var(--b));--C:var(--anypoint-signin-color,var(--c));display:inline-flex;align-items:center;gap:.625em;min-height:var(--h);padding:.25rem var(--p);border:1px solid var(--anypoint-signin-border-color,var(--o));border-radius:var(--anypoint-signin-radius,var(--r));background:var(--B);color:var(--C);font:600 var(--z)/1.25 var(--anypoint-signin-font,system-ui,sans-serif);text-align:start;cursor:pointer}
button:hover:not(:disabled){background:color-mix(in srgb,var(--B),var(--C) 12%)}
button:focus-visible{outline:3px solid var(--anypoint-signin-focus-ring,var(--f));outline-offset:2px}
button:disabled:not([aria-busy=true]){background:var(--d);color:var(--e);cursor:not-allowed}
button[aria-busy=true]{cursor:progress}
[part=icon]{display:flex}
svg,::slotted(*){width:1.25em;height:1.25em}
svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
:host(:dir(rtl)) svg{transform:scaleX(-1)}
[part=spinner]{width:1em;height:1em;border:2px solid;border-inline-end-color:#0000;border-radius:50%;animation:s .8s linear infinite}
[aria-busy=true] [part=spinner]{display:block}
@media (prefers-reduced-motion:reduce){[part=spinner]{animation:none}}
@keyframes s{to{transform:rotate(1turn)}}
[part=avatar]{display:grid;place-items:center;width:1.75rem;aspect-ratio:1;border-radius:50%;background:var(--a);color:var(--t);font-weight:600}
.w,[part=message]{padding:.125rem .375rem;border-radius:4px;background:var(--g);color:var(--u);font-size:.875rem}
.w{display:flex;align-items:center;gap:.5rem}
[part=message]{color:var(--anypoint-signin-error-color,var(--m))}
.v{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}`;

const ICON = 'M12 3h3a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2h-3M3 10h9M8 6l4 4-4 4';
const SVG = 'http://www.w3.org/2000/svg';
const LABEL = 'Sign in with Anypoint Platform';

class FloorSignin extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const make = (tag, part) => {
      const node = document.createElement(tag);
      if (part) node.setAttribute('part', part);
      return node;
    };
    const button = make('button', 'button');
    button.type = 'button';
    button.setAttribute('aria-label', LABEL);
    button.setAttribute('aria-busy', 'false');
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 20 20');
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', ICON);
    svg.append(path);
    const iconSlot = make('slot');
    iconSlot.name = 'icon';
    iconSlot.append(svg);
    const icon = make('span', 'icon');
    icon.setAttribute('aria-hidden', 'true');
    icon.append(iconSlot);
    const spinner = make('span', 'spinner');
    spinner.setAttribute('aria-hidden', 'true');
    const label = make('span', 'label');
    label.append(make('slot'), LABEL);
    button.append(icon, spinner, label);
    const who = make('span');
    who.className = 'w';
    who.hidden = true;
    const avatar = make('span', 'avatar');
    avatar.setAttribute('aria-hidden', 'true');
    who.append(avatar, make('span', 'user'));
    const message = make('span', 'message');
    message.setAttribute('role', 'status');
    message.setAttribute('aria-live', 'polite');
    const status = make('span');
    status.className = 'v';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    root.append(button, who, message, status);
  }
}

customElements.define('anypoint-signin', FloorSignin);
