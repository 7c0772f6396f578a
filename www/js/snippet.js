// The embed snippet for the current settings.

/** Where an npm install puts the package's entry module. */
const ENTRY = '/node_modules/anypoint-signin/anypoint-signin.js';

function escapeAttribute(value) {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The HTML to paste into a page: the module script and the configured element. */
export function htmlSnippet(attrs) {
  const lines = attrs.filter(([, value]) => value !== '').map(([name, value]) => `  ${name}="${escapeAttribute(value)}"`);
  return [
    `<script type="module" src="${ENTRY}"></script>`,
    '',
    '<anypoint-signin',
    `${lines.join('\n')}></anypoint-signin>`,
  ].join('\n');
}

/** The listeners to put in one of the page's own modules. */
export function jsSnippet() {
  return [
    "const signin = document.querySelector('anypoint-signin');",
    "signin.addEventListener('anypoint-signin-success', (e) => {",
    '  const { accessToken, claims } = e.detail; // call Anypoint APIs with accessToken',
    '});',
    "signin.addEventListener('anypoint-signin-error', (e) => {",
    '  console.warn(e.detail.code, e.detail.description);',
    '});',
  ].join('\n');
}
