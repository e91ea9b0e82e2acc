// "Send reminder now" from the tracker (issue 8): the secretariat chases the owners of the filtered (or the
// ticked) actions at once. First a dry run (POST /api/v1/actions/chase with "dry_run": true) says who would
// get a reminder and what would be skipped; a confirmation dialog shows it; "Send" makes the same call for
// real. Chasing an action twice the same day records nothing new (docs/api.md, "Bulk chase").
'use strict';

import { h, field, uid } from '../dom.js';
import { api, query } from '../api.js';
import { errorText } from './common.js';
import { plural } from '../format.js';

export const NOTE_MAX = 1000;

const AS_TEXT = { owner: 'owner', line_manager: 'line manager of an inactive owner' };


/** POST /api/v1/actions/chase?<filters> {dry_run, action_ids?, note?} -> the route's JSON answer. */
export function chase(filters, { dryRun, actionIds, note }) {
  const body = { dry_run: dryRun };
  if (actionIds && actionIds.length) body.action_ids = actionIds;
  if (note) body.note = note;
  return api(`/api/v1/actions/chase${query(filters)}`, { method: 'POST', json: body });
}

/** The sentence the tracker shows after a real chase. */
export function resultText(result) {
  const people = (result.recipients || []).length;
  const parts = [];
  if (result.chased > 0) {
    parts.push(`Reminders recorded for ${plural(people, 'person', 'people')} about ${plural(result.chased, 'action')}; ` +
      (result.email_delivery === false
        ? 'they appear in each person\'s inbox; e-mail waits until the mail server is set up (reminders.md).'
        : 'e-mail goes out within a minute, and they appear in each person\'s inbox.'));
    const noMail = (result.recipients || []).filter((r) => r.email === false).length;
    if (noMail) parts.push(`${plural(noMail, 'person has', 'people have')} no e-mail address and will see it in the inbox only.`);
  } else {
    parts.push('No reminder was sent.');
  }
  if (result.already_chased > 0) parts.push(`${plural(result.already_chased, 'action was', 'actions were')} already chased today and not chased again.`);
  if (result.skipped > 0) parts.push(`${plural(result.skipped, 'action was', 'actions were')} skipped.`);
  return parts.join(' ');
}

/**
 * The confirmation dialog (a native modal <dialog>: focus stays inside, Esc cancels). open(preview, onSend)
 * fills it from a dry run and shows it; onSend(note) makes the real call and resolves with its message, or
 * throws (the error is shown inside the dialog, which stays open). Focus returns to `opener` on close.
 */
export function chaseDialog(opener) {
  const titleId = uid('chase-title');
  const summaryId = uid('chase-summary');
  const title = h('h2', { id: titleId, tabindex: '-1' }, 'Send reminders now');
  const summary = h('p', { id: summaryId, class: 'lead' });
  const lists = h('div', { class: 'chase-lists' });
  const note = h('textarea', { name: 'note', rows: 3, maxlength: NOTE_MAX });
  const noteField = field('Note to go with the reminder (optional)', note,
    `Goes in the e-mail each person gets, under your name; up to ${NOTE_MAX} characters.`);
  const error = h('p', { class: 'error', role: 'alert', id: uid('chase-error') });
  const send = h('button', { type: 'submit', class: 'primary', id: 'chase-send' }, 'Send');
  const cancel = h('button', { type: 'button', id: 'chase-cancel' }, 'Cancel');
  const form = h('form', { class: 'chase-form' }, noteField, error, h('div', { class: 'buttons' }, send, cancel));
  const dialog = h('dialog', { id: 'chase-dialog', class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': summaryId },
    title, summary, lists, form);
  let onSend = null;
  let busy = false;

  cancel.addEventListener('click', () => dialog.close('cancel'));
  dialog.addEventListener('cancel', (event) => { if (busy) event.preventDefault(); });  // Esc, unless sending
  dialog.addEventListener('close', () => { if (opener && opener.isConnected) opener.focus(); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || !onSend) return;
    // The server counts bytes (UTF-8): a note of accented letters may pass maxlength and still be too long.
    if (new TextEncoder().encode(note.value.trim()).length > NOTE_MAX) {
      error.textContent = `The note is too long: at most ${NOTE_MAX} characters (fewer with accented letters or symbols).`;
      note.focus();
      return;
    }
    busy = true;
    send.disabled = true;
    send.textContent = 'Sending…';
    error.textContent = '';
    try {
      await onSend(note.value.trim());
      dialog.close('sent');
    } catch (problem) {
      error.textContent = errorText(problem);
      send.focus();
    } finally {
      busy = false;
      send.disabled = false;
      send.textContent = 'Send';
    }
  });

  function section(heading, id, items) {
    if (!items.length) return null;
    return h('section', { 'aria-labelledby': `${id}-h` },
      h('h3', { id: `${id}-h` }, `${heading} (${items.length})`),
      h('ul', { id }, items));
  }

  function open(preview, sendFn) {
    onSend = sendFn;
    const actions = preview.actions || [];
    const already = actions.filter((a) => a.outcome === 'already_chased');
    const skipped = actions.filter((a) => a.outcome === 'skipped');
    const recipients = preview.recipients || [];
    const chased = preview.chased || 0;
    summary.textContent = chased > 0
      ? `${plural(chased, 'action')} will be chased: ${plural(recipients.length, 'person', 'people')} will get a reminder.`
      : 'Nothing to send: none of these actions can be chased now.';
    const whoGets = (a) => (a.recipients || []).map((r) => (r.as && r.as !== 'owner' ? `${r.role_title} (${AS_TEXT[r.as] || r.as})` : r.role_title)).join('; ');
    lists.replaceChildren(...[
      section('Who gets a reminder', 'chase-recipients', recipients.map((r) => h('li', {},
        h('strong', {}, r.role_title), ` — ${plural(r.actions, 'action')}`,
        r.email === false ? ' (no e-mail address: inbox only)' : ''))),
      section('Already chased today', 'chase-already', already.map((a) => h('li', {},
        h('strong', {}, a.reference), whoGets(a) ? ` — ${whoGets(a)}` : ''))),
      section('Skipped', 'chase-skipped', skipped.map((a) => h('li', {},
        h('strong', {}, a.reference), ` — ${a.reason || 'cannot be chased'}`))),
    ].filter(Boolean));
    noteField.hidden = chased === 0;
    send.hidden = chased === 0;
    cancel.textContent = chased === 0 ? 'Close' : 'Cancel';
    note.value = '';
    error.textContent = '';
    dialog.showModal();
    title.focus();
  }

  return { element: dialog, open };
}
