// My actions (action owner): open actions I lead or co-own, with RAG and days to due / overdue, and the
// decisions on my revised-date requests. Updating happens on the action's own page.
'use strict';

import { h, table } from '../dom.js';
import { api, query, serverToday } from '../api.js';
import * as fmt from '../format.js';
import { rag, actionLink, heading } from './common.js';

export async function render(main, ctx) {
  const me = ctx.me;
  main.appendChild(heading('My actions'));
  if (!me.person) {
    main.appendChild(h('p', {}, 'Your account is not linked to an action owner, so you own no actions.'));
    return;
  }
  main.appendChild(h('p', {}, `Actions you lead or co-own as ${me.person}.`));
  const [page, today] = await Promise.all([
    api(`/api/v1/actions${query({ owner: me.person, per_page: 500, sort: 'due' })}`),
    serverToday(),
  ]);
  const open = page.items.filter((a) => a.rag !== 'complete');
  const closed = page.items.filter((a) => a.rag === 'complete');
  const row = (a) => h('tr', { class: a.overdue ? 'overdue' : null, dataset: { ref: fmt.reference(a) } },
    h('th', { scope: 'row' }, actionLink(a)),
    h('td', {}, a.description),
    h('td', {}, fmt.label(a.status)),
    h('td', {}, fmt.target(a.current_target_date, a.current_target_date_display)),
    h('td', {}, rag(a.rag)),
    h('td', {}, fmt.dueText(a, today)),
    h('td', {}, a.last_update ? `${fmt.date(a.last_update.date)}: ${a.last_update.text}` : '—'),
    h('td', {}, h('a', { href: `#/actions/${encodeURIComponent(a.id)}`, class: 'button' }, 'Open', h('span', { class: 'visually-hidden' }, ` ${fmt.reference(a)}`))));
  const headers = ['Reference', 'Action', 'Status', 'Due', 'RAG', 'Days', 'Last update', ''];
  main.appendChild(open.length
    ? table(`My open actions (${open.length})`, headers, open.map(row), { className: 'actions' })
    : h('p', {}, 'You have no open actions.'));
  if (closed.length) main.appendChild(table(`Closed (${closed.length})`, headers, closed.map(row)));

  // Decisions on my requests (when the server lists revised-date requests).
  const mine = new Set(page.items.map((a) => a.id));
  const byId = new Map(page.items.map((a) => [a.id, a]));
  try {
    const requests = await api('/api/v1/revision-requests?status=all');
    const items = (requests.items || []).filter((r) => mine.has(r.action_id || r.action));
    const requestRows = items.map((r) => {
      const action = byId.get(r.action_id || r.action);
      return h('tr', {},
        h('th', { scope: 'row' }, action ? actionLink(action) : String(r.action_reference || r.action || '')),
        h('td', {}, fmt.target(r.requested_date, r.requested_date_display)),
        h('td', {}, r.reason || ''),
        h('td', {}, fmt.label(r.status)),
        h('td', {}, r.decision ? [r.decision.group || '', r.decision.date ? ` on ${fmt.date(r.decision.date)}` : '', r.decision.reference ? ` (${r.decision.reference})` : ''] : (r.routed_to || '—')),
        h('td', {}, r.decision_note || r.note || ''));
    });
    main.appendChild(h('h2', {}, 'My revised-date requests'));
    main.appendChild(requestRows.length
      ? table('Requests and decisions', ['Action', 'Requested date', 'Reason', 'Status', 'Decided by / routed to', 'Note'], requestRows)
      : h('p', {}, 'You have made no revised-date requests.'));
  } catch (_) {
    // The server does not list requests to this user: nothing to show.
  }
}
