// The page both bundler apps build (vite-app/, webpack-app/): <anypoint-signin> imported
// from npm. The test stores the mock server's issuer and the client ID to use under
// `bundler-test` in localStorage.
import { ready } from 'anypoint-signin';

const signin = document.getElementById('signin');
const config = JSON.parse(localStorage.getItem('bundler-test') || '{}');
if (config.clientId) signin.setAttribute('clientid', config.clientId);
if (config.issuer) signin.setAttribute('issuer', config.issuer);
signin.setAttribute('redirecturi', `${location.origin}/`);

// The events, in the playground's log format (tokens left out), for the test to read.
const log = document.getElementById('event-log');
function record(name, detail) {
  const item = document.createElement('li');
  item.dataset.event = name;
  const pre = document.createElement('pre');
  pre.textContent = JSON.stringify(detail);
  item.append(pre);
  log.append(item);
}
record('page', {});
for (const kind of ['success', 'error', 'signout', 'redirect']) {
  signin.addEventListener(`anypoint-signin-${kind}`, (e) => {
    const { accessToken, idToken, ...rest } = e.detail;
    record(e.type, { ...rest, accessToken: accessToken ? 'present' : undefined });
  });
}
signin.addEventListener('anypoint-signin-success', (e) => {
  document.getElementById('status').textContent = `Signed in as ${e.detail.claims.name}.`;
});
// The package's named export: the element's class once it is defined.
ready.then(
  (element) => {
    document.body.dataset.ready = element === customElements.get('anypoint-signin') ? 'defined' : 'another class';
  },
  (error) => { document.getElementById('status').textContent = String(error); },
);
