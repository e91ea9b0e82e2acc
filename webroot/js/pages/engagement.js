// Engagements: the list, and one engagement's terms of reference, assurance level, findings, and
// recommendations with their actions and derived status.
'use strict';

import { h, table } from '../dom.js';
import { api } from '../api.js';
import * as fmt from '../format.js';
import { rag, actionLink, heading } from './common.js';

export async function render(main, ctx) {
  if (!ctx.params.length) return renderList(main);
  const e = await api(`/api/v1/engagements/${encodeURIComponent(ctx.params[0])}`);
  main.appendChild(heading(`${e.title} (${e.reference})`));
  const tor = e.terms_of_reference || {};
  const ts = tor.timescale || {};
  main.appendChild(h('dl', { class: 'facts' },
    h('dt', {}, 'Audit year'), h('dd', {}, e.audit_year),
    h('dt', {}, 'Assurance level'), h('dd', { id: 'assurance' }, fmt.label(e.assurance_level)),
    h('dt', {}, 'Status'), h('dd', {}, fmt.label(e.status)),
    h('dt', {}, 'Issued'), h('dd', {}, fmt.target(e.issue_date, e.issue_date_display)),
    h('dt', {}, 'Follows up'), h('dd', {}, e.follows_up || '—'),
    h('dt', {}, 'Recommendations'), h('dd', {}, `${e.recommendation_counts.high} High, ${e.recommendation_counts.medium} Medium, ${e.recommendation_counts.low} Low`)));
  main.appendChild(h('section', { 'aria-labelledby': 'tor' },
    h('h2', { id: 'tor' }, 'Terms of reference'),
    h('p', {}, tor.scope || '—'),
    tor.remit_items && tor.remit_items.length ? [h('h3', {}, 'Remit'), h('ul', {}, tor.remit_items.map((r) => h('li', {}, r)))] : null,
    tor.key_risks && tor.key_risks.length ? [h('h3', {}, 'Key risks'), h('ul', {}, tor.key_risks.map((r) => h('li', {}, r)))] : null,
    h('p', {}, `Fieldwork ${fmt.date(ts.fieldwork_start)} to ${fmt.date(ts.fieldwork_end)}`,
      ts.resource_days ? `; ${ts.resource_days} resource days` : '', '.')));
  if (e.findings && e.findings.length) {
    main.appendChild(table('Findings', ['Number', 'Kind', 'Finding', 'Recommendation'], e.findings.map((f) => h('tr', {},
      h('th', { scope: 'row' }, f.number), h('td', {}, fmt.label(f.kind)), h('td', {}, f.text),
      h('td', {}, f.recommendation_number ?? '—')))));
  }
  main.appendChild(h('h2', {}, 'Recommendations and actions'));
  for (const r of e.recommendations) {
    main.appendChild(h('section', { class: 'recommendation', 'aria-labelledby': `rec-${r.number}` },
      h('h3', { id: `rec-${r.number}` }, `${r.number}. ${r.title}`),
      h('p', {}, h('strong', {}, 'Priority: '), fmt.label(r.priority), ' · ', h('strong', {}, 'Response: '),
        fmt.label(r.management_response), ' · ', h('strong', {}, 'Status: '), h('span', { class: 'rec-status' }, fmt.label(r.status))),
      r.recommendation ? h('p', {}, r.recommendation) : null,
      r.response_text ? h('p', { class: 'hint' }, `Management response: ${r.response_text}`) : null,
      (r.actions || []).length
        ? table(`Actions for recommendation ${r.number}`, ['Reference', 'Action', 'Owners', 'Due', 'Status', 'RAG'], r.actions.map((a) => h('tr', {},
          h('th', { scope: 'row' }, actionLink(a)), h('td', {}, a.description), h('td', {}, fmt.owners(a)),
          h('td', {}, fmt.target(a.current_target_date, a.current_target_date_display)),
          h('td', {}, fmt.label(a.status)), h('td', {}, rag(a.rag)))))
        : h('p', {}, 'No actions.')));
  }
}

async function renderList(main) {
  const list = await api('/api/v1/engagements');
  main.appendChild(heading('Engagements'));
  main.appendChild(table('Engagements', ['Reference', 'Title', 'Audit year', 'Assurance', 'Status', 'Issued', 'High', 'Medium', 'Low'],
    list.items.map((e) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#/engagements/${encodeURIComponent(e.reference)}` }, e.reference)),
      h('td', {}, e.title), h('td', {}, e.audit_year), h('td', {}, fmt.label(e.assurance_level)),
      h('td', {}, fmt.label(e.status)), h('td', {}, fmt.target(e.issue_date, e.issue_date_display)),
      h('td', { class: 'num' }, e.recommendation_counts.high), h('td', { class: 'num' }, e.recommendation_counts.medium),
      h('td', { class: 'num' }, e.recommendation_counts.low)))));
}
