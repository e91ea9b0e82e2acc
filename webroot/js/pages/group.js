// Governance groups: the list, and one group's terms of reference, members, delegated powers, the
// pending decisions it may take (approve/refuse shown only to its chair or secretary) and its meeting pack.
'use strict';

import { h, field, table, announce, dateInput } from '../dom.js';
import { api, query, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { rag, heading, errorText } from './common.js';

function powerText(p) {
  const limits = [];
  if (p.max_priority) limits.push(`up to ${fmt.label(p.max_priority)} priority`);
  if (p.max_total_slip_days !== null && p.max_total_slip_days !== undefined) limits.push(`up to ${p.max_total_slip_days} days total slip`);
  return `${fmt.label(p.kind)}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

export async function render(main, ctx) {
  const groups = await api('/api/v1/groups');
  if (!ctx.params.length) {
    main.appendChild(heading('Governance groups'));
    main.appendChild(table('Groups', ['Group', 'Kind', 'Reports to', 'Superseded by', 'Members', 'Delegated powers'],
      groups.items.map((g) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/groups/${encodeURIComponent(g.name)}` }, g.name)),
        h('td', {}, fmt.label(g.kind)), h('td', {}, g.parent || '—'), h('td', {}, g.superseded_by || '—'),
        h('td', { class: 'num' }, String(g.members.length)), h('td', {}, g.powers.map(powerText).join('; ') || '—')))));
    return;
  }
  // A group the reader may not open is named, not linked (its page would be "not found").
  const visible = new Set(groups.items.map((x) => x.name));
  const groupLink = (n) => (visible.has(n) ? h('a', { href: `#/groups/${encodeURIComponent(n)}` }, n) : n);
  const name = ctx.params[0];
  const g = groups.items.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!g) throw new ApiError(404, { detail: `No governance group is called '${name}'.` });
  const myRole = (ctx.me.groups || []).find((x) => x.name === g.name);
  const decides = Boolean(myRole && (myRole.role === 'chair' || myRole.role === 'secretary'));

  main.appendChild(heading(g.name));
  main.appendChild(h('section', { 'aria-labelledby': 'tor' },
    h('h2', { id: 'tor' }, 'Terms of reference'),
    h('p', {}, g.purpose || '—'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Kind'), h('dd', {}, fmt.label(g.kind)),
      h('dt', {}, 'Reports to'), h('dd', {}, g.parent ? groupLink(g.parent) : '—'),
      h('dt', {}, 'Effective'), h('dd', {}, `${fmt.date(g.effective_from)} to ${g.effective_to ? fmt.date(g.effective_to) : 'now'}`),
      g.superseded_by ? [h('dt', {}, 'Superseded by'), h('dd', {}, groupLink(g.superseded_by))] : null,
      myRole ? [h('dt', {}, 'Your role'), h('dd', {}, fmt.label(myRole.role))] : null)));
  main.appendChild(table('Members', ['Role title', 'Role in the group'], g.members.map((m) => h('tr', {},
    h('th', { scope: 'row' }, m.role_title || '—'), h('td', {}, fmt.label(m.role))))));
  main.appendChild(g.powers.length
    ? h('section', { 'aria-labelledby': 'powers' }, h('h2', { id: 'powers' }, 'Delegated powers'),
      h('ul', {}, g.powers.map((p) => h('li', {}, powerText(p)))))
    : h('p', {}, 'This group holds no delegated powers.'));

  // Pending decisions within its authority.
  main.appendChild(h('h2', { id: 'decisions' }, 'Pending decisions'));
  let pending = null;
  try {
    const list = await api(`/api/v1/revision-requests${query({ status: 'pending', group: g.name })}`);
    pending = list.items || [];
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
  }
  const pack = await api(`/api/v1/groups/${encodeURIComponent(g.name)}/meeting-pack`);
  const packDecisions = new Map((pack.decisions_to_take || []).map((d) => [d.request_id, d]));
  if (pending === null) pending = (pack.decisions_to_take || []).map((d) => ({ ...d, fromPack: true }));
  else pending = pending.map((r) => ({ ...(packDecisions.get(r.id) || {}), ...r }));  // the pack adds slip and description
  if (!pending.length) main.appendChild(h('p', { id: 'no-decisions' }, 'No decisions are waiting for this group.'));
  for (const r of pending) main.appendChild(decisionCard(r, g, decides, ctx));

  // Meeting pack.
  main.appendChild(h('h2', {}, 'Meeting pack'));
  const c = pack.counts || {};
  const n = (count, word) => `${count ?? 0} ${word}${count === 1 ? '' : 's'}`;
  main.appendChild(h('p', { id: 'pack-summary' }, `${n(c.open_actions, 'open action')}: ${c.overdue ?? 0} overdue, ${c.due_soon ?? 0} due soon, ${c.on_track ?? 0} on track; ${n(c.decisions_to_take, 'decision')} to take.`));
  if (pack.note) main.appendChild(h('p', { class: 'hint' }, pack.note));
  const items = [...(pack.overdue || []), ...(pack.due_soon || [])];
  if (items.length) {
    main.appendChild(table('Exceptions: overdue and due soon', ['Action', 'Description', 'Owners', 'Due', 'RAG', 'Days overdue', 'Last update'],
      items.map((i) => h('tr', {}, h('th', { scope: 'row' }, i.action), h('td', {}, i.description || ''),
        h('td', {}, (i.owners || []).filter(Boolean).join('; ') || '—'), h('td', {}, fmt.target(i.current_target_date)),
        h('td', {}, rag(i.rag)), h('td', { class: 'num' }, String(i.days_overdue ?? 0)), h('td', {}, (i.last_update || '—').replace(/^\d{4}-\d{2}-\d{2}/, (iso) => fmt.date(iso)))))));
  }
  const packDate = dateInput('date', '');
  const packForm = h('form', { class: 'inline', 'aria-label': 'Printable meeting pack' },
    field('Meeting date', packDate, 'dd/mm/yyyy; leave empty for today.'),
    h('button', { type: 'submit' }, 'Open printable pack'));
  packForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const iso = fmt.parseDate(packDate.value);
    if (iso === null) { announce(`'${packDate.value}' is not a date: write it as dd/mm/yyyy.`, 'error'); packDate.focus(); return; }
    window.open(`/api/v1/groups/${encodeURIComponent(g.name)}/meeting-pack${query({ date: iso, format: 'html' })}`, '_blank');
  });
  main.appendChild(packForm);
}

function decisionCard(r, group, decides, ctx) {
  const request = r.request || r;
  const id = request.id;
  const card = h('section', { class: 'panel decision', dataset: { request: id || '' } },
    h('h3', {}, `Revised date for ${r.action || r.action_reference || request.action || ''}`),
    h('p', {}, r.description || ''),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Requested date'), h('dd', {}, fmt.target(request.requested_date, request.requested_date_display)),
      h('dt', {}, 'Reason'), h('dd', {}, request.reason || '—'),
      h('dt', {}, 'Requested by'), h('dd', {}, r.requested_by || '—'),
      r.total_slip_days !== undefined ? [h('dt', {}, 'Total slip'), h('dd', {}, `${r.total_slip_days} days from the original target`)] : null,
      r.routed_to ? [h('dt', {}, 'Routed to'), h('dd', {}, r.routed_to)] : null));
  if (!decides || !id || r.fromPack) return card;
  const reference = h('input', { name: 'reference', required: true });
  const note = h('textarea', { name: 'note', rows: 2 });
  const send = async (decision) => {
    if (!reference.value.trim()) { announce('Give the decision a reference (e.g. the minute number).', 'error'); reference.focus(); return; }
    try {
      await api(`/api/v1/revision-requests/${encodeURIComponent(id)}/decision`, {
        method: 'POST', json: { decision, group: group.name, reference: reference.value.trim(), ...(note.value.trim() ? { note: note.value.trim() } : {}) },
      });
      await ctx.rerender();
      announce(decision === 'approve' ? 'Approved: the new target date applies.' : 'Refused.', 'ok');
    } catch (error) {
      announce(errorText(error), 'error');
    }
  };
  card.appendChild(h('form', { class: 'decide', 'aria-label': 'Decision', onsubmit: (e) => e.preventDefault() },
    field('Decision reference', reference, 'The minute or decision number.'),
    field('Note', note),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'primary', onclick: () => send('approve') }, 'Approve'),
      h('button', { type: 'button', onclick: () => send('refuse') }, 'Refuse'))));
  return card;
}
