// One action: its dates, RAG, history, and -- only when the signed-in user may -- the forms to post
// progress with evidence, move it (claim implemented, verify, reject a claim, ...) and ask for a revised
// target date. Writes send If-Match with the action's ETag (412 when someone changed it meanwhile).
'use strict';

import { h, field, table, announce, select, dateInput } from '../dom.js';
import { api, query, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { rag, errorText, heading } from './common.js';

const TRANSITION_TEXT = {
  in_progress: 'In progress',
  implemented: 'Implemented (claim, with evidence)',
  verified: 'Verified (confirm the claim)',
  risk_accepted: 'Risk accepted',
  superseded: 'Superseded',
  withdrawn: 'Withdrawn',
  not_started: 'Not started',
};

async function load(id) {
  try {
    const { body, etag } = await api(`/api/v1/actions/${encodeURIComponent(id)}`, { withEtag: true });
    return { action: body, etag: etag || (body.version !== undefined ? `"${body.version}"` : null), live: true };
  } catch (error) {
    // A server without the action route: find it in the list, read-only.
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
    const page = await api(`/api/v1/actions${query({ per_page: 500 })}`);
    const action = page.items.find((a) => a.id === id);
    if (!action) throw error;
    return { action, etag: null, live: false };
  }
}

function transitions(action) {
  return (action.allowed_transitions || []).map((t) => (typeof t === 'string' ? { to: t } : t)).filter((t) => t && t.to);
}

export async function render(main, ctx) {
  const id = ctx.params[0];
  const { action, etag, live } = await load(id);
  const can = (live && action.can) || {};
  // After a write: render again into the live page (ctx.main), then say what happened.
  const reload = async (message) => {
    const fresh = document.createElement('div');
    await render(fresh, ctx);
    ctx.main.replaceChildren(...fresh.childNodes);
    if (message) announce(message, 'ok');
  };

  main.appendChild(heading(`Action ${fmt.reference(action)}`));
  main.appendChild(h('p', { class: 'lead' }, action.description));
  // The detail route and the list name a few fields differently; accept both.
  const original = action.target_date || action.original_target_date;
  const revisions = action.revised_target_dates || [];
  const revisionCount = action.revisions ?? revisions.length;
  const updates = action.progress_updates || [];
  const lastUpdate = action.last_update || (updates.length ? updates[updates.length - 1] : null);
  main.appendChild(h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', { id: 'action-status' }, fmt.label(action.status)),
    h('dt', {}, 'RAG'), h('dd', { id: 'action-rag' }, rag(action.rag)),
    h('dt', {}, 'Priority'), h('dd', {}, fmt.label(action.priority)),
    h('dt', {}, 'Lead owner'), h('dd', {}, action.lead_owner || '—'),
    h('dt', {}, 'Co-owners'), h('dd', {}, (action.co_owners || []).join('; ') || '—'),
    h('dt', {}, 'Original target date'), h('dd', {}, fmt.target(original, action.target_date_display)),
    h('dt', {}, 'Current target date'), h('dd', { id: 'action-due' }, fmt.target(action.current_target_date, action.current_target_date_display)),
    h('dt', {}, 'Revisions'), h('dd', {}, action.total_slip_days !== undefined ? `${revisionCount} (${action.total_slip_days} days slip)` : String(revisionCount)),
    h('dt', {}, 'Days overdue'), h('dd', {}, String(action.days_overdue)),
    h('dt', {}, 'Responsible group'), h('dd', {}, action.group || action.responsible_group || '—'),
    h('dt', {}, 'Last update'), h('dd', {}, lastUpdate
      ? `${fmt.date(lastUpdate.date)}: ${lastUpdate.text}${lastUpdate.percent !== null && lastUpdate.percent !== undefined ? ` (${lastUpdate.percent}%)` : ''}` : '—'),
    action.auditor_assessment ? [h('dt', {}, 'Auditor assessment'), h('dd', {}, action.auditor_assessment)] : null));
  main.appendChild(h('p', {}, h('a', { href: `#/engagements/${encodeURIComponent(action.engagement)}` }, `Engagement ${action.engagement}`)));

  const evidence = action.evidence || [];
  // Each file links to its download (the action's row rules apply on the server); a note is shown as text.
  const evidenceFor = (u) => {
    const items = [...(u.evidence || []), ...evidence.filter((e) => u.id && e.progress_update_id === u.id)];
    const seen = new Set();
    const parts = [];
    for (const e of items) {
      if (e.id && seen.has(e.id)) continue;
      if (e.id) seen.add(e.id);
      if (parts.length) parts.push(', ');
      const name = e.file_name || e.note || e.name || String(e);
      parts.push(e.download ? h('a', { href: e.download, download: e.download_name || e.file_name, class: 'evidence' }, name) : name);
    }
    return parts.length ? parts : '—';
  };
  if (updates.length) {
    main.appendChild(table('Progress updates', ['Date', 'By', 'Update', '%', 'Evidence'], updates.map((u) => h('tr', {},
      h('td', {}, fmt.date(u.date)), h('td', {}, u.author || u.by || '—'), h('td', {}, u.text),
      h('td', {}, u.percent ?? '—'), h('td', {}, evidenceFor(u))))));
  }
  // Evidence given with a status change (e.g. the note behind an implemented claim), which no progress update
  // carries: the auditor reads it before verifying.
  const claimEvidence = evidence.filter((e) => !e.progress_update_id);
  if (claimEvidence.length) {
    main.appendChild(table('Evidence for status changes', ['Added on', 'By', 'Evidence'], claimEvidence.map((e) => h('tr', {},
      h('td', {}, fmt.date(e.added_on)), h('td', {}, e.added_by || '—'),
      h('td', { class: 'evidence-note' }, e.download
        ? h('a', { href: e.download, download: e.download_name || e.file_name, class: 'evidence' }, e.file_name)
        : (e.note || '—'))))));
  }
  if (revisions.length) {
    main.appendChild(table('Revised target dates', ['New date', 'Reason', 'Approved by', 'Decision date'], revisions.map((r) => h('tr', {},
      h('td', {}, fmt.target(r.new_target_date || r.date, r.new_target_date_display || r.display)), h('td', {}, r.reason),
      h('td', {}, r.approved_by || '—'), h('td', {}, fmt.date(r.decision_date))))));
  }
  const requests = action.revision_requests || [];
  if (requests.length) {
    main.appendChild(table('Revised-date requests', ['Requested date', 'Reason', 'Status', 'Routed to', 'Decision', 'Note'], requests.map((r) => h('tr', {},
      h('td', {}, fmt.target(r.requested_date, r.requested_date_display)), h('td', {}, r.reason || ''),
      h('td', {}, fmt.label(r.status)), h('td', {}, r.routed_to || '—'),
      h('td', {}, r.decision ? `${r.decision.group || ''} ${fmt.date(r.decision.date)} (${r.decision.reference || ''})` : '—'),
      h('td', {}, r.decision_note || r.note || '')))));
  }

  if (!live) {
    main.appendChild(h('p', { class: 'hint' }, 'This server offers no changes to actions: read-only.'));
    return;
  }
  const write = async (path, options, okText) => {
    try {
      await api(path, { ...options, ifMatch: etag });
      await reload(okText);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) await reload();
      announce(errorText(error), 'error');
    }
  };

  if (can.update) {
    const text = h('textarea', { name: 'text', rows: 3, required: true });
    const percent = h('input', { name: 'percent', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric' });
    const files = h('input', { name: 'evidence', type: 'file', multiple: true });
    const form = h('form', { class: 'panel', id: 'progress-form', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title' }, 'Post a progress update'),
      field('What has been done', text),
      field('Percent complete', percent, 'A whole number from 0 to 100; leave empty if not known.'),
      field('Evidence files', files, 'Documents that show the progress (optional).'),
      h('button', { type: 'submit', class: 'primary' }, 'Post update'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData();
      data.append('text', text.value);
      if (percent.value !== '') data.append('percent', percent.value);
      for (const file of files.files) data.append('evidence', file, file.name);
      write(`/api/v1/actions/${encodeURIComponent(action.id)}/progress`, { method: 'POST', form: data }, 'Progress update posted.');
    });
    main.appendChild(form);
  }

  const allowed = transitions(action);
  if (allowed.length) {
    const byTo = new Map(allowed.map((t) => [t.to, t]));
    const to = select('to', allowed.map((t) => [t.to, TRANSITION_TEXT[t.to] || fmt.label(t.to)]), allowed[0].to);
    const reason = h('textarea', { name: 'reason', rows: 2 });
    const evidence = h('textarea', { name: 'evidence_note', rows: 2 });
    const group = h('input', { name: 'group', value: action.responsible_group || action.group || '' });
    const decision = h('input', { name: 'decision_reference' });
    const successor = h('input', { name: 'superseded_by' });
    const meaning = h('p', { class: 'hint', id: 'transition-meaning' });
    const groupFields = h('div', {}, field('Deciding group', group), field('Decision reference', decision, 'The minute or decision number.'));
    const successorField = field('Superseding action (reference)', successor, 'e.g. IA-2024-25-PM/2.2');
    const reasonField = field('Reason', reason, 'Why this change is made.');
    const reasonHint = reasonField.querySelector('.hint');
    const evidenceField = field('Evidence note', evidence, 'To claim implemented: what the evidence is and where it is.');
    const update = () => {
      const t = byTo.get(to.value) || {};
      meaning.textContent = t.meaning || '';
      evidenceField.hidden = t.needs_evidence === false;
      // Said only for the moves that need it (rejecting a claim, closing the action), never to an owner who
      // cannot make them.
      if (reasonHint) reasonHint.textContent = t.needs_reason ? 'Required for this change: say why.' : 'Optional: why this change is made.';
      groupFields.hidden = !t.needs_group_decision;
      successorField.hidden = !t.needs_superseding_action;
    };
    to.addEventListener('change', update);
    const form = h('form', { class: 'panel', id: 'transition-form', 'aria-labelledby': 'transition-title' },
      h('h2', { id: 'transition-title' }, 'Change the status'),
      field('New status', to), meaning, reasonField, evidenceField, groupFields, successorField,
      h('button', { type: 'submit', class: 'primary' }, 'Change status'));
    update();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const t = byTo.get(to.value) || {};
      const body = { to: to.value };
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (evidence.value.trim()) body.evidence_note = evidence.value.trim();
      if (t.needs_group_decision) { body.group = group.value.trim(); body.decision_reference = decision.value.trim(); }
      if (t.needs_superseding_action) body.superseded_by = successor.value.trim();
      write(`/api/v1/actions/${encodeURIComponent(action.id)}/transitions`, { method: 'POST', json: body },
        `Status changed to ${fmt.label(to.value)}.`);
    });
    main.appendChild(form);
  }

  if (can.request_date) {
    const date = dateInput('requested_date', '');
    date.required = true;
    const reason = h('textarea', { name: 'reason', rows: 2, required: true });
    const form = h('form', { class: 'panel', id: 'request-date-form', 'aria-labelledby': 'request-title' },
      h('h2', { id: 'request-title' }, 'Ask for a revised target date'),
      field('New target date', date, 'dd/mm/yyyy'),
      field('Reason', reason, 'Why the action needs more time; the deciding group sees this.'),
      h('button', { type: 'submit', class: 'primary' }, 'Send request'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const iso = fmt.parseDate(date.value);
      if (!iso) { announce(`'${date.value}' is not a date: write it as dd/mm/yyyy.`, 'error'); date.focus(); return; }
      write(`/api/v1/actions/${encodeURIComponent(action.id)}/revision-requests`,
        { method: 'POST', json: { requested_date: iso, reason: reason.value.trim() } },
        'Request sent to the group that decides it.');
    });
    main.appendChild(form);
  }
}
