// The single-page web UI: hash routes (#/tracker?priority=high), one module per page, the signed-in user
// from /api/v1/me. A page shows only the controls the signed-in user may use (issue 8 item 10).
'use strict';

import { h, clear, announce } from './dom.js';
import { api, loadMe, signOut, ApiError } from './api.js';
import { label } from './format.js';
import * as signInPage from './pages/signin.js';
import * as myActions from './pages/myactions.js';
import * as tracker from './pages/tracker.js';
import * as actionPage from './pages/action.js';
import * as engagements from './pages/engagement.js';
import * as followUp from './pages/followup.js';
import * as groups from './pages/group.js';
import * as dashboard from './pages/dashboard.js';
import * as risks from './pages/risks.js';
import * as inbox from './pages/inbox.js';

const state = { me: null, unread: null };

/**
 * What the signed-in user may open, from /api/v1/me: its "permissions" (read_plan, read_reports,
 * read_groups, update_action, decide_revision, ...; docs/security.md) when the server sends them, else its
 * roles. A server without sign-in is read-only and shows every reading page.
 */
export function may(me, what) {
  if (me.authDisabled) return what !== 'my-actions';
  const permissions = new Set(me.permissions || []);
  const roles = new Set(me.roles || []);
  const staff = roles.has('admin') || roles.has('secretariat') || roles.has('auditor') || roles.has('viewer');
  const has = (permission) => (permissions.size ? permissions.has(permission) : staff);
  switch (what) {
    case 'my-actions': return Boolean(me.person);
    case 'inbox': return Boolean(me.signedIn && me.person);
    case 'tracker': case 'engagements': return permissions.size ? permissions.has('read_plan') : true;
    case 'follow-up': case 'dashboard': return has('read_reports');
    case 'groups': return permissions.size ? permissions.has('read_groups') : true;
    case 'risks': return has('read_risks');
    default: return true;
  }
}

const routes = [
  { path: /^\/sign-in$/, page: signInPage, title: 'Sign in', public: true },
  { path: /^\/my-actions$/, page: myActions, title: 'My actions', nav: 'my-actions' },
  { path: /^\/inbox$/, page: inbox, title: 'Inbox', nav: 'inbox' },
  { path: /^\/tracker$/, page: tracker, title: 'Tracker', nav: 'tracker' },
  { path: /^\/actions\/([^/]+)$/, page: actionPage, title: 'Action' },
  { path: /^\/engagements$/, page: engagements, title: 'Engagements', nav: 'engagements' },
  { path: /^\/engagements\/([^/]+)$/, page: engagements, title: 'Engagement' },
  { path: /^\/follow-up$/, page: followUp, title: 'Follow-up report', nav: 'follow-up' },
  { path: /^\/groups$/, page: groups, title: 'Groups', nav: 'groups' },
  { path: /^\/groups\/([^/]+)$/, page: groups, title: 'Group' },
  { path: /^\/dashboard$/, page: dashboard, title: 'Dashboard', nav: 'dashboard' },
  { path: /^\/risks$/, page: risks, title: 'Risk registers', nav: 'risks' },
  { path: /^\/risks\/([^/]+)$/, page: risks, title: 'Risk' },
];

const NAV = [
  ['my-actions', '#/my-actions', 'My actions'],
  ['inbox', '#/inbox', 'Inbox'],
  ['tracker', '#/tracker', 'Tracker'],
  ['engagements', '#/engagements', 'Engagements'],
  ['follow-up', '#/follow-up', 'Follow-up report'],
  ['groups', '#/groups', 'Groups'],
  ['dashboard', '#/dashboard', 'Dashboard'],
  ['risks', '#/risks', 'Risks'],
];

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function defaultRoute(me) {
  if (!me.signedIn && !me.authDisabled) return '#/sign-in';
  if (may(me, 'my-actions') && !(me.roles || []).some((r) => ['secretariat', 'admin', 'auditor', 'viewer'].includes(r))) {
    return '#/my-actions';
  }
  if ((me.roles || []).includes('auditor') && may(me, 'follow-up')) return '#/follow-up';
  if ((me.roles || []).includes('viewer') && may(me, 'dashboard')) return '#/dashboard';
  if (may(me, 'tracker')) return '#/tracker';
  return '#/engagements';
}

function renderHeader(me, current) {
  const nav = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  if (me.signedIn || me.authDisabled) {
    nav.appendChild(h('ul', {}, NAV.filter(([key]) => may(me, key)).map(([key, href, text]) =>
      h('li', {}, h('a', { href, id: `nav-${key}`, 'aria-current': current === key ? 'page' : null }, text,
        key === 'inbox' && state.unread !== null
          ? [' (', h('span', { class: 'count', id: 'inbox-unread' }, String(state.unread)), h('span', { class: 'visually-hidden' }, ' unread'), ')']
          : null)))));
  }
  if (me.signedIn) {
    const roles = [...(me.roles || []), ...(me.groups || []).map((g) => `${g.role} of ${g.name}`)];
    who.appendChild(h('span', { id: 'signed-in-as' },
      'Signed in as ', h('strong', {}, me.display_name || me.username),
      me.person ? ` (${me.person})` : ''));
    who.appendChild(h('span', { id: 'signed-in-roles', class: 'roles' },
      roles.length ? `Roles: ${roles.map(label).join(', ')}` : 'No roles'));
    who.appendChild(h('button', {
      type: 'button', id: 'sign-out', onclick: async () => {
        try { await signOut(); } catch (_) { /* already signed out */ }
        state.me = null;
        location.hash = '#/sign-in';
        route();
      },
    }, 'Sign out'));
  } else if (me.authDisabled) {
    who.appendChild(h('span', { id: 'signed-in-as' }, 'Read-only view: this server has no sign-in.'));
  }
}

let routeSeq = 0;

async function route() {
  const seq = ++routeSeq;  // a newer navigation makes this one stale: it then leaves the page alone
  const main = document.getElementById('main');
  announce('');
  try {
    if (!state.me) state.me = await loadMe();
  } catch (error) {
    clear(main).appendChild(h('p', { class: 'error' }, `Cannot reach govtrack: ${error.message}`));
    return;
  }
  const me = state.me;
  const { path, query } = parseHash();
  if (path === '/' || path === '') { location.replace(defaultRoute(me)); return; }
  let match = routes.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
  if (!match && !me.signedIn && !me.authDisabled) { location.replace('#/sign-in'); return; }
  if (!match) {
    // Say so rather than quietly showing another page: a mistyped or stale link should not look like it worked.
    const notFound = { render: (container) => {
      container.appendChild(h('h1', { tabindex: '-1' }, 'Page not found'));
      container.appendChild(h('p', {}, `There is no page at #${path}. `,
        h('a', { href: defaultRoute(me), id: 'start-page' }, 'Go to your start page'), '.'));
    } };
    match = { r: { page: notFound, title: 'Page not found', nav: null }, m: [path] };
  }
  if (!match.r.public && !me.signedIn && !me.authDisabled) { location.replace('#/sign-in'); return; }
  if (match.r.nav && !may(me, match.r.nav)) { location.replace(defaultRoute(me)); return; }
  // The inbox's unread count for the menu, fresh on every navigation (it drops as items are read).
  state.unread = may(me, 'inbox')
    ? await api('/api/v1/me/notifications?unread=true').then((r) => r.unread).catch(() => null) : null;
  if (seq !== routeSeq) return;
  renderHeader(me, match.r.nav);
  document.title = `${match.r.title} — govtrack`;
  const ctx = {
    me,
    params: match.m.slice(1).map((p) => decodeURIComponent(p)),
    query,
    may: (what) => may(me, what),
    navigate: (hash) => { if (location.hash === hash) route(); else location.hash = hash; },
    reloadMe: async () => { state.me = await loadMe(); return state.me; },
    rerender: route,
    main,
  };
  // The page renders into a detached container, swapped in only if no newer navigation started meanwhile;
  // what needs the page attached (focus, charts) comes back as a function.
  const container = document.createElement('div');
  let afterAttach = null;
  try {
    afterAttach = await match.r.page.render(container, ctx);
  } catch (error) {
    if (seq !== routeSeq) return;
    if (error instanceof ApiError && error.status === 401) { state.me = null; location.replace('#/sign-in'); return; }
    container.appendChild(h('p', { class: 'error', role: 'alert' },
      error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`));
  }
  if (seq !== routeSeq) return;
  clear(main);
  main.append(...container.childNodes);
  if (typeof afterAttach === 'function') afterAttach();
  document.body.dataset.page = match.r.title;
  document.body.dataset.ready = 'true';
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);  // for tests
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', () => { document.body.dataset.ready = 'false'; route(); });
route();
