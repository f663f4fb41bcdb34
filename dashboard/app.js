// The dashboard's entry: sign-in with the service_role key, then a view per hash route
// (#/overview, #/tables/<table>, #/users, #/storage/<bucket>/<folder>, #/leaderboard,
// #/backup). The key is checked against GET /admin/v1/info before it is kept.
import { api, forgetKey, storedKey, storeKey } from './api.js';
import { notice, replace } from './dom.js';

const views = {
  overview: () => import('./views/overview.js'),
  tables: () => import('./views/tables.js'),
  users: () => import('./views/users.js'),
  storage: () => import('./views/storage.js'),
  leaderboard: () => import('./views/leaderboard.js'),
  backup: () => import('./views/backup.js'),
};

const signIn = document.getElementById('sign-in');
const signInForm = document.getElementById('sign-in-form');
const signInMessage = document.getElementById('sign-in-message');
const keyField = document.getElementById('service-key');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');
const view = document.getElementById('view');

// Whether `key` is this server's service_role key, and why not.
async function checkKey(key) {
  try {
    await api('/admin/v1/info', { key });
    return null;
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      return `That key was refused: it is not this server's service_role key (${error.describe()}).`;
    }
    return `The server could not check the key: ${error.describe ? error.describe() : error.message}`;
  }
}

function showSignIn(message) {
  closeView();
  nav.hidden = true;
  signOut.hidden = true;
  view.replaceChildren();
  signIn.hidden = false;
  replace(signInMessage, message ? notice(message) : null);
  keyField.focus();
  keyField.select();  // a refused key is replaced by what is typed next
}

function parseRoute() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { name: views[name] ? name : 'overview', args: rest.map(decodeURIComponent) };
}

let rendering = 0;
// What the view on screen holds open (a Realtime socket): a view's render() may return a
// function that closes it, called when another view replaces it or on sign-out.
let cleanup = null;

function closeView() {
  cleanup?.();
  cleanup = null;
}

async function render() {
  if (!storedKey()) {
    showSignIn();
    return;
  }
  signIn.hidden = true;
  nav.hidden = false;
  signOut.hidden = false;
  const { name, args } = parseRoute();
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const ticket = ++rendering;
  const module = await views[name]();
  if (ticket !== rendering) return;  // a newer route won the race
  closeView();
  const root = document.createElement('section');
  root.className = `view view-${name}`;
  root.dataset.view = name;
  view.replaceChildren(root);
  try {
    const close = await module.render(root, args);
    if (typeof close === 'function') {
      if (ticket === rendering) cleanup = close;
      else close();  // replaced while it rendered
    }
  } catch (error) {
    if (error.status === 401 && ticket === rendering) {
      // The stored key stopped working (the server was restarted with another secret).
      forgetKey();
      showSignIn(`The server refused the stored key (${error.describe()}). Sign in again.`);
      return;
    }
    root.append(notice(error.describe ? error.describe() : String(error.message ?? error)));
  }
  if (ticket === rendering) root.dataset.ready = 'true';
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = keyField.value.trim();
  if (!key) return;
  const button = signInForm.querySelector('button');
  button.disabled = true;
  replace(signInMessage);
  const problem = await checkKey(key);
  button.disabled = false;
  if (problem) {
    showSignIn(problem);
    return;
  }
  keyField.value = '';
  storeKey(key);
  if (!location.hash) location.hash = '#/overview';
  await render();
  document.getElementById('main').focus();
});

signOut.addEventListener('click', () => {
  forgetKey();
  showSignIn();
});

// In-page anchors (the skip link's #main) are no routes.
window.addEventListener('hashchange', () => {
  if (!location.hash || location.hash.startsWith('#/')) render();
});
render();
