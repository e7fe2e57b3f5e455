// The web inbox's shell: login, header, and the two screens (inbox, reports).
import * as api from './api.js';
import { h, replace } from './dom.js';
import { t, toggleLanguage } from './i18n.js';
import { Inbox } from './inbox.js';
import { Reports } from './reports.js';

const root = document.getElementById('app');
let me = null;
let screen = null;

function showLogin(message = '') {
  screen?.close?.();
  screen = null;
  const agent = h('input', { id: 'login-agent', name: 'agent', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', id: 'login-error', text: message });
  const form = h('form', { class: 'login', id: 'login-form' },
    h('h1', { text: t('appName') }),
    h('label', {}, t('agentId'), agent),
    h('label', {}, t('password'), password),
    h('button', { type: 'submit', id: 'login-submit', text: t('login') }),
    error,
    h('button', { type: 'button', class: 'link', text: t('language'), onclick: () => { toggleLanguage(); showLogin(); } }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.login(agent.value.trim(), password.value);
      me = await api.resume();
      route();
    } catch {
      error.textContent = t('loginFailed');
    }
  });
  replace(root, form);
  agent.focus();
}

// Reports: admins (everything) and department leads (their departments).
function canReport(who) {
  return who.role === 'admin' || who.role === 'lead';
}

function header(active) {
  const presence = h('select', { id: 'presence', 'aria-label': 'presence' },
    ...['online', 'away', 'offline'].map((s) => h('option', { value: s, text: t(s), selected: me.presence === s })));
  presence.addEventListener('change', () => api.call('PUT', '/me/presence', { status: presence.value }));
  return h('header', { class: 'top' },
    h('strong', { class: 'brand', text: t('appName') }),
    h('nav', {},
      h('a', { href: '/', class: active === 'inbox' ? 'active' : '', id: 'nav-inbox', onclick: navigate }, t('inbox'),
        h('span', { class: 'badge', id: 'unread-badge', hidden: true })),
      canReport(me) ? h('a', { href: '/reports', class: active === 'reports' ? 'active' : '', id: 'nav-reports',
        onclick: navigate, text: t('reports') }) : null),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who', id: 'who', text: me.name }),
    presence,
    h('button', { type: 'button', class: 'link', id: 'language', text: t('language'),
      onclick: () => { toggleLanguage(); route(); } }),
    h('button', { type: 'button', id: 'logout', text: t('logout'), onclick: doLogout }));
}

function navigate(e) {
  e.preventDefault();
  history.pushState({}, '', e.currentTarget.getAttribute('href'));
  route();
}

async function doLogout() {
  try {
    await api.logout();
  } finally {
    me = null;
    history.pushState({}, '', '/');
    showLogin();
  }
}

function route() {
  if (!me) return showLogin();
  screen?.close?.();
  const reports = location.pathname === '/reports' && canReport(me);
  const main = h('main', { class: reports ? 'reports-main' : 'inbox-main' });
  replace(root, header(reports ? 'reports' : 'inbox'), main);
  screen = reports ? new Reports(main) : new Inbox(main, me, onUnread);
  screen.open();
}

function onUnread(count) {
  const badge = document.getElementById('unread-badge');
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = String(count);
  document.title = count ? `(${count}) Switchboard` : 'Switchboard';
}

window.addEventListener('popstate', route);
api.resume().then((found) => {
  me = found;
  route();
}, () => showLogin());
