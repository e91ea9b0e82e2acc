// The signed-in person's inbox (issue 8): the reminders, escalations and secretariat chases that also go out
// by e-mail (SPEC 4.6), newest first, unread ones marked, each linking to its action, with why the person
// got it. GET /api/v1/me/notifications[?unread=true]; POST /api/v1/me/notifications/{id}/read marks one read.
'use strict';

import { h, table, announce } from '../dom.js';
import { api } from '../api.js';
import * as fmt from '../format.js';
import { heading, errorText } from './common.js';

/** 'before_due_7' -> 'Due in 7 days', 'escalation_14' -> 'Escalated: 14 days overdue', 'chase' -> ... */
export function ruleText(rule) {
  const text = String(rule || '');
  let m = /^before_due_(\d+)$/.exec(text);
  if (m) return Number(m[1]) === 1 ? 'Due tomorrow' : `Due in ${m[1]} days`;
  m = /^escalation_(\d+)$/.exec(text);
  if (m) return `Escalated: ${m[1]} days overdue`;
  switch (text) {
    case 'on_due': return 'Due today';
    case 'overdue': return 'Overdue';
    case 'chase': return 'Reminder from the secretariat';
    default: return fmt.label(text);
  }
}

/** Why this person got the item: the "as" of the notification. */
export function asText(item) {
  switch (item.as) {
    case 'owner': return 'You own the action';
    case 'line_manager': return item.owner_inactive
      ? 'You are the line manager of its owner, who is inactive' : 'You are the line manager of its owner';
    case 'group_secretary': return 'You are the secretary of its responsible group';
    case 'group_chair': return 'You are the chair of its responsible group';
    default: return fmt.label(item.as);
  }
}

function itemLink(item) {
  const link = item.item_kind === 'action' || !item.item_kind
    ? h('a', { href: `#/actions/${encodeURIComponent(item.item_id)}` }, item.reference) : item.reference;
  return [link, item.title ? h('span', { class: 'item-title' }, item.title) : null];
}

function dueText(item) {
  const due = fmt.date(item.due_date);
  if (item.days_overdue > 0) return `${due} (${item.days_overdue} ${item.days_overdue === 1 ? 'day' : 'days'} overdue)`;
  return due;
}

export async function render(main, ctx) {
  const me = ctx.me;
  main.appendChild(heading('Inbox'));
  if (!me.person) {
    main.appendChild(h('p', {}, 'Your account is not linked to a person, so nobody sends you reminders.'));
    return;
  }
  const unreadOnly = ctx.query.get('unread') === 'true';
  const list = await api(`/api/v1/me/notifications${unreadOnly ? '?unread=true' : ''}`);
  const items = [...(list.items || [])].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));

  main.appendChild(h('p', {}, `Reminders and escalations for you as ${me.person}, newest first. `,
    'The same reminders are sent by e-mail when govtrack\'s mail server is set up.'));
  const count = h('p', { id: 'inbox-count', role: 'status', tabindex: '-1' }, unreadOnly
    ? `${list.unread} unread.`
    : `${list.unread} unread of ${list.total}.`);
  main.appendChild(count);

  const filter = h('input', { type: 'checkbox', id: 'inbox-unread-only', checked: unreadOnly });
  filter.addEventListener('change', () => ctx.navigate(filter.checked ? '#/inbox?unread=true' : '#/inbox'));
  main.appendChild(h('form', { class: 'inline', id: 'inbox-filter', 'aria-label': 'Filter the inbox',
    onsubmit: (event) => event.preventDefault() },
  h('label', { class: 'check', for: filter.id }, filter, ' Unread only')));

  if (!items.length) {
    main.appendChild(h('p', { id: 'inbox-empty' }, unreadOnly ? 'Nothing unread.' : 'Your inbox is empty.'));
    return;
  }

  const markRead = async (item, button) => {
    button.disabled = true;
    try {
      await api(`/api/v1/me/notifications/${encodeURIComponent(item.id)}/read`, { method: 'POST' });
      await ctx.rerender();
      announce(`Marked ${item.reference} as read.`, 'ok');
      // Focus goes on to the next unread item's button, else to the count.
      (document.querySelector('#main button.mark-read') || document.getElementById('inbox-count'))?.focus();
    } catch (error) {
      button.disabled = false;
      announce(errorText(error), 'error');
    }
  };

  const rows = items.map((item) => {
    const button = item.read ? null : h('button', { type: 'button', class: 'mark-read' }, 'Mark as read',
      h('span', { class: 'visually-hidden' }, `: ${ruleText(item.rule)}, ${item.reference}`));
    if (button) button.addEventListener('click', () => markRead(item, button));
    return h('tr', { class: item.read ? 'read' : 'unread', dataset: { id: item.id, rule: item.rule, ref: item.reference } },
      h('td', {}, item.read ? 'Read' : h('span', { class: 'badge badge-unread' }, 'Unread')),
      h('th', { scope: 'row' }, ruleText(item.rule)),
      h('td', {}, itemLink(item)),
      h('td', {}, dueText(item)),
      h('td', {}, asText(item)),
      h('td', {}, fmt.date(item.created_at)),
      h('td', {}, button || ''));
  });
  main.appendChild(table(unreadOnly ? 'Unread reminders' : 'Reminders',
    ['Status', 'Reminder', 'Action', 'Due', 'Why you got it', 'Received',
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Mark as read'))], rows, { className: 'inbox' }));
}
