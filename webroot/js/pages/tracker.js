// The secretariat's tracker: every action, filtered (engagement, priority, status, RAG, owner, unit, group,
// overdue), sorted stably (ties by reference), paged, and exported -- CSV or XLSX of exactly what is
// filtered, in the same order. The filters live in the address (#/tracker?priority=high,medium&overdue=true).
// The secretariat (permission chase_owners) can tick rows and "Send reminder now…" (chase.js).
'use strict';

import { h, field, select, table, uid } from '../dom.js';
import { api, query } from '../api.js';
import * as fmt from '../format.js';
import { rag, actionLink, heading, errorText } from './common.js';
import { chase, chaseDialog, resultText } from './chase.js';

const PER_PAGE = 25;
const FILTERS = ['engagement', 'priority', 'status', 'rag', 'owner', 'unit', 'group', 'overdue', 'sort'];
const STATUSES = ['not_started', 'in_progress', 'implemented', 'verified', 'risk_accepted', 'superseded', 'withdrawn'];
const SORTS = [['reference', 'Reference'], ['due', 'Due date'], ['-days_overdue', 'Most overdue first'],
  ['priority', 'Priority'], ['status', 'Status'], ['rag', 'RAG'], ['owner', 'Lead owner'], ['-revisions', 'Most revised first']];

export async function render(main, ctx) {
  const q = ctx.query;
  const filters = Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || '']));
  const page = Math.max(1, Number(q.get('page') || 1));
  const [engagements, groups, result] = await Promise.all([
    api('/api/v1/engagements'),
    api('/api/v1/groups').catch(() => ({ items: [] })),
    api(`/api/v1/actions${query({ ...filters, page, per_page: PER_PAGE })}`),
  ]);

  main.appendChild(heading('Tracker'));

  // ---- filters ----
  const priorities = new Set(filters.priority.split(',').filter(Boolean));
  const priorityBoxes = ['high', 'medium', 'low'].map((p) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'priority', value: p, checked: priorities.has(p) }), ` ${fmt.label(p)}`));
  const controls = {
    engagement: select('engagement', [['', 'Any engagement'], ...engagements.items.map((e) => [e.reference, `${e.reference} — ${e.title}`])], filters.engagement),
    status: select('status', [['', 'Any status'], ...STATUSES.map((s) => [s, fmt.label(s)])], filters.status),
    rag: select('rag', [['', 'Any RAG'], ['red', 'Red'], ['amber', 'Amber'], ['green', 'Green'], ['complete', 'Complete']], filters.rag),
    owner: h('input', { name: 'owner', value: filters.owner, autocomplete: 'off' }),
    unit: h('input', { name: 'unit', value: filters.unit, autocomplete: 'off' }),
    group: select('group', [['', 'Any group'], ...groups.items.map((g) => [g.name, g.name])], filters.group),
    overdue: select('overdue', [['', 'Overdue or not'], ['true', 'Overdue only'], ['false', 'Not overdue']], filters.overdue),
    sort: select('sort', SORTS, filters.sort || 'reference'),
  };
  const form = h('form', { class: 'filters panel', id: 'tracker-filters', 'aria-label': 'Filter actions' },
    field('Engagement', controls.engagement),
    h('fieldset', { class: 'field' }, h('legend', {}, 'Priority'), priorityBoxes),
    field('Status', controls.status),
    field('RAG', controls.rag),
    field('Owner (role title)', controls.owner),
    field('Unit', controls.unit),
    field('Group', controls.group),
    field('Overdue', controls.overdue),
    field('Sort by', controls.sort),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
      h('a', { href: '#/tracker', class: 'button' }, 'Clear filters')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const key of ['engagement', 'status', 'rag', 'owner', 'unit', 'group', 'overdue', 'sort']) {
      const value = controls[key].value.trim();
      if (value && !(key === 'sort' && value === 'reference')) next[key] = value;
    }
    const chosen = priorityBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (chosen.length) next.priority = chosen.join(',');
    ctx.navigate(`#/tracker${query(next)}`);
  });
  main.appendChild(form);

  // ---- export of exactly what is filtered ----
  const exportQuery = (format) => `/api/v1/actions/export${query({ ...filters, format })}`;
  main.appendChild(h('p', { class: 'exports' }, 'Export what is filtered: ',
    h('a', { href: exportQuery('csv'), download: '', id: 'export-csv', class: 'button' }, 'CSV'), ' ',
    h('a', { href: exportQuery('xlsx'), download: '', id: 'export-xlsx', class: 'button' }, 'XLSX')));

  // ---- results ----
  const total = result.total;
  const first = total === 0 ? 0 : (page - 1) * PER_PAGE + 1;
  const last = Math.min(total, page * PER_PAGE);
  main.appendChild(h('p', { id: 'tracker-count', role: 'status' }, total === 0
    ? 'No actions match these filters.' : `Showing ${first}–${last} of ${total} actions.`));
  const canChase = (ctx.me.permissions || []).includes('chase_owners') && total > 0;
  const ticks = [];  // the row checkboxes, when the user may chase
  const rows = result.items.map((a) => {
    let tick = null;
    if (canChase) {
      const box = h('input', { type: 'checkbox', name: 'chase', value: a.id, id: uid('tick') });
      ticks.push(box);
      tick = h('td', { class: 'tick' }, box,
        h('label', { for: box.id }, h('span', { class: 'visually-hidden' }, `Select ${fmt.reference(a)}`)));
    }
    return h('tr', { class: a.overdue ? 'overdue' : null, dataset: { ref: fmt.reference(a) } },
      tick,
      h('th', { scope: 'row' }, actionLink(a)),
      h('td', { class: 'desc' }, a.description),
      h('td', {}, fmt.label(a.priority)),
      h('td', {}, fmt.owners(a)),
      h('td', {}, a.unit || '—'),
      h('td', {}, a.group || '—'),
      h('td', {}, fmt.target(a.current_target_date, a.current_target_date_display)),
      h('td', {}, String(a.revisions)),
      h('td', {}, fmt.label(a.status)),
      h('td', {}, rag(a.rag)),
      h('td', { class: 'num' }, String(a.days_overdue)),
      h('td', {}, a.last_update ? `${fmt.date(a.last_update.date)}: ${a.last_update.text}` : '—'));
  });
  if (canChase) main.appendChild(chaseBar(ticks, total, filters));
  if (rows.length) {
    const headers = ['Reference', 'Action', 'Priority', 'Owners', 'Unit', 'Group', 'Due',
      'Revisions', 'Status', 'RAG', 'Days overdue', 'Last update'];
    if (canChase) headers.unshift(h('th', { scope: 'col', class: 'tick' }, h('span', { class: 'visually-hidden' }, 'Selected')));
    main.appendChild(table('Actions', headers, rows, { className: 'actions' }));
  }
  if (total > PER_PAGE) {
    const to = (p) => `#/tracker${query({ ...filters, page: p })}`;
    main.appendChild(h('nav', { class: 'pager', 'aria-label': 'Pages' },
      page > 1 ? h('a', { href: to(page - 1), rel: 'prev' }, 'Previous page') : null,
      h('span', {}, ` Page ${page} of ${Math.ceil(total / PER_PAGE)} `),
      last < total ? h('a', { href: to(page + 1), rel: 'next' }, 'Next page') : null));
  }
}

/**
 * The chase toolbar above the table: "Select all on this page", "Send reminder now…" and what it will
 * cover (the ticked rows, else every action the filters match), then the dialog and the result.
 */
function chaseBar(ticks, total, filters) {
  const all = h('input', { type: 'checkbox', id: 'chase-select-all' });
  const scope = h('p', { class: 'hint', id: 'chase-scope' });
  const status = h('p', { id: 'chase-status', role: 'status' });
  const button = h('button', { type: 'button', id: 'chase-button', 'aria-describedby': 'chase-scope' }, 'Send reminder now…');
  const dialog = chaseDialog(button);
  const ticked = () => ticks.filter((t) => t.checked).map((t) => t.value);
  const update = () => {
    const n = ticked().length;
    all.checked = n > 0 && n === ticks.length;
    all.indeterminate = n > 0 && n < ticks.length;
    scope.textContent = n > 0
      ? `Reminders go for the ${n === 1 ? 'action' : `${n} actions`} ticked.`
      : `No rows ticked: reminders go for all ${total === 1 ? 'the action' : `${total} actions`} the filters match.`;
  };
  all.addEventListener('change', () => { for (const t of ticks) t.checked = all.checked; update(); });
  for (const t of ticks) t.addEventListener('change', update);
  update();

  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;  // a dry run is on its way
    const actionIds = ticked();
    status.className = '';
    status.textContent = '';
    button.setAttribute('aria-busy', 'true');
    let preview;
    try {
      preview = await chase(filters, { dryRun: true, actionIds });
    } catch (error) {
      status.className = 'error';
      status.textContent = errorText(error);
      return;
    } finally {
      button.removeAttribute('aria-busy');
    }
    dialog.open(preview, async (note) => {
      const result = await chase(filters, { dryRun: false, actionIds, note });
      status.className = 'ok';
      status.textContent = resultText(result);
    });
  });

  return h('div', { class: 'chase-bar panel', role: 'group', 'aria-label': 'Chase owners' },
    h('div', { class: 'buttons' },
      h('label', { class: 'check', for: all.id }, all, ' Select all on this page'),
      button),
    scope, status, dialog.element);
}
