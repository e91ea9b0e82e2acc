// The auditor's follow-up report (SPEC 4.7): as of any date (rebuilt from the audit trail), compared with
// an earlier date, exported as CSV, XLSX, printable HTML or JSON; implemented claims to verify or reject.
'use strict';

import { h, field, select, table, dateInput, announce } from '../dom.js';
import { api, query } from '../api.js';
import * as fmt from '../format.js';
import { rag, actionLink, heading } from './common.js';

export async function render(main, ctx) {
  const q = ctx.query;
  const params = { engagement: q.get('engagement') || '', as_of: q.get('as_of') || '', compare: q.get('compare') || '' };
  const engagements = await api('/api/v1/engagements');
  main.appendChild(heading('Follow-up report'));

  const engagement = select('engagement', [['', 'Every engagement'], ...engagements.items.map((e) => [e.reference, `${e.reference} — ${e.title}`])], params.engagement);
  const asOf = dateInput('as_of', params.as_of);
  const compare = dateInput('compare', params.compare);
  const form = h('form', { class: 'filters panel', id: 'follow-up-form', 'aria-label': 'Report options' },
    field('Engagement', engagement),
    field('As of', asOf, 'dd/mm/yyyy; leave empty for today. A past date shows the report as it stood then.'),
    field('Compare with (earlier date)', compare, 'dd/mm/yyyy, optional: lists what changed since that date.'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Run report')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const asOfIso = fmt.parseDate(asOf.value);
    const compareIso = fmt.parseDate(compare.value);
    for (const [iso, input] of [[asOfIso, asOf], [compareIso, compare]]) {
      if (iso === null) { announce(`'${input.value}' is not a date: write it as dd/mm/yyyy, e.g. 30/09/2025.`, 'error'); input.focus(); return; }
    }
    ctx.navigate(`#/follow-up${query({ engagement: engagement.value, as_of: asOfIso, compare: compareIso })}`);
  });
  main.appendChild(form);

  const base = { engagement: params.engagement, as_of: params.as_of };
  const link = (format, text, id) => h('a', { href: `/api/v1/reports/follow-up${query({ ...base, format })}`, class: 'button', id,
    download: format === 'csv' || format === 'xlsx' ? '' : null, target: format === 'html' ? '_blank' : null }, text);
  main.appendChild(h('p', { class: 'exports' }, 'Export: ', link('csv', 'CSV', 'export-csv'), ' ', link('xlsx', 'XLSX', 'export-xlsx'), ' ',
    link('html', 'Printable HTML', 'export-html'), ' ', link('json', 'JSON', 'export-json'), ' ',
    h('button', { type: 'button', onclick: () => window.print() }, 'Print this page')));

  let report;
  let changes = null;
  if (params.compare) {
    const both = await api(`/api/v1/reports/follow-up${query({ ...base, compare: params.compare })}`);
    report = both.to;
    changes = both.changes;
  } else {
    report = await api(`/api/v1/reports/follow-up${query(base)}`);
  }
  const t = report.totals;
  main.appendChild(h('h2', { id: 'report-title' }, `As of ${fmt.date(report.as_of)}`, report.engagement ? ` — ${report.engagement}` : ' — every engagement'));
  main.appendChild(h('p', { id: 'report-summary', role: 'status' },
    `${fmt.plural(t.recommendations, 'recommendation')}, ${fmt.plural(t.actions, 'action')}; ${t.implemented_percent}% implemented; ${fmt.plural(t.overdue.actions, 'overdue action')}.`));
  if (params.as_of && t.recommendations === 0) {
    // A past date is rebuilt from the audit trail: before the plan was first imported, nothing is known.
    main.appendChild(h('p', { class: 'hint', id: 'report-before-trail' },
      'Nothing had been recorded in govtrack by this date. Past dates are rebuilt from the audit trail, which starts ',
      'when the plan was first imported; choose a later date.'));
  }

  // In the order the report is read (JSON objects carry no order of their own).
  const ORDER = ['implemented', 'partially_implemented', 'not_implemented', 'risk_accepted', 'not_accepted'];
  const rank = (s) => (ORDER.indexOf(s) < 0 ? ORDER.length : ORDER.indexOf(s));
  const statuses = Object.keys(t.by_status).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  main.appendChild(table('Recommendations by status and priority', ['Status', 'High', 'Medium', 'Low', 'Total'],
    statuses.map((s) => h('tr', {}, h('th', { scope: 'row' }, fmt.label(s)),
      ['high', 'medium', 'low'].map((p) => h('td', { class: 'num' }, String(((t.by_status_priority || {})[s] || {})[p] || 0))),
      h('td', { class: 'num' }, String(t.by_status[s]))))));

  const rows = [];
  for (const r of report.recommendations) {
    for (const a of (r.actions.length ? r.actions : [null])) {
      rows.push(h('tr', { class: a && a.overdue ? 'overdue' : null },
        h('th', { scope: 'row' }, `${r.engagement} ${r.number}${a ? `.${a.number}` : ''}`),
        h('td', {}, r.title), h('td', {}, fmt.label(r.priority)), h('td', {}, fmt.label(r.status)),
        h('td', {}, a ? a.description : '—'),
        h('td', {}, a ? [a.lead_owner, ...(a.co_owners || [])].filter(Boolean).join('; ') : r.owners.join('; ')),
        h('td', {}, a ? fmt.target(a.target_date, a.target_date_display) : '—'),
        h('td', {}, a ? fmt.target(a.current_target_date, a.current_target_date_display) : '—'),
        h('td', { class: 'num' }, a ? String(a.revisions) : '—'),
        h('td', {}, a ? fmt.label(a.status) : '—'), h('td', {}, a ? rag(a.rag) : '—'),
        h('td', { class: 'num' }, a ? String(a.days_overdue) : '—'),
        h('td', {}, a && a.last_update ? `${fmt.date(a.last_update.date)}: ${a.last_update.text}` : '—'),
        h('td', {}, a && a.auditor_assessment ? a.auditor_assessment : '—')));
    }
  }
  main.appendChild(table('Recommendations and actions', ['Ref', 'Recommendation', 'Priority', 'Rec. status', 'Action',
    'Owners', 'Original target', 'Current target', 'Revisions', 'Action status', 'RAG', 'Days overdue', 'Last update', 'Auditor assessment'],
  rows, { className: 'report' }));

  const byOwner = Object.entries(t.overdue.by_owner || {});
  if (byOwner.length) {
    main.appendChild(table('Overdue actions by owner', ['Owner', 'Overdue actions'],
      byOwner.map(([o, n]) => h('tr', {}, h('th', { scope: 'row' }, o), h('td', { class: 'num' }, String(n))))));
  }
  const byUnit = Object.entries(t.overdue.by_unit || {});
  if (byUnit.length) {
    main.appendChild(table('Overdue actions by unit', ['Unit', 'Overdue actions'],
      byUnit.map(([o, n]) => h('tr', {}, h('th', { scope: 'row' }, o), h('td', { class: 'num' }, String(n))))));
  }

  if (changes) {
    main.appendChild(h('h2', {}, `Changes since ${fmt.date(params.compare)}`));
    main.appendChild(changes.length
      ? table('Changes', ['Engagement', 'Rec', 'Action', 'What', 'From', 'To'], changes.map((c) => h('tr', {},
        h('td', {}, c.engagement), h('td', {}, String(c.recommendation)), h('td', {}, c.action ?? '—'),
        h('td', {}, fmt.label(c.field)), h('td', {}, c.from || '—'), h('td', {}, c.to || '—'))))
      : h('p', { id: 'no-changes' }, 'Nothing changed between the two dates.'));
  }

  // Claims waiting for the auditor: only for those who verify.
  if ((ctx.me.roles || []).includes('auditor') && !params.as_of) {
    const claims = await api(`/api/v1/actions${query({ status: 'implemented', engagement: params.engagement, per_page: 500 })}`);
    main.appendChild(h('h2', {}, 'Implemented claims to verify or reject'));
    main.appendChild(claims.items.length
      ? table('Claims', ['Reference', 'Action', 'Owner', 'Last update', ''], claims.items.map((a) => h('tr', {},
        h('th', { scope: 'row' }, actionLink(a)), h('td', {}, a.description), h('td', {}, a.lead_owner || '—'),
        h('td', {}, a.last_update ? `${fmt.date(a.last_update.date)}: ${a.last_update.text}` : '—'),
        h('td', {}, h('a', { href: `#/actions/${encodeURIComponent(a.id)}`, class: 'button' }, 'Review claim')))))
      : h('p', {}, 'No claims are waiting.'));
  }
}
