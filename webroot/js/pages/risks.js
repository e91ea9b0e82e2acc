// Risk registers (issue 8 item 7; SPEC 4.5): the list with escalations due and overdue reviews, the heat map
// on the inherent, current or target basis, and one risk with its route both ways and its score history
// (a chart plus the same numbers in a table).
'use strict';

import { h, field, select, table } from '../dom.js';
import { api, query } from '../api.js';
import * as fmt from '../format.js';
import { heading } from './common.js';

function rating(r) {
  if (!r) return '—';
  return `${r.score} (${r.likelihood}×${r.impact}${r.level ? `, ${fmt.label(r.level)}` : ''})`;
}

function riskLink(ref) {
  return h('a', { href: `#/risks/${encodeURIComponent(ref)}` }, ref);
}

function levelCell(level, text) {
  return h('td', { class: `level level-${String(level || '').toLowerCase().replace(/ /g, '_').replace(/[^a-z_]/g, '')}` }, text);
}

/** The 5x5 grid: likelihood rows (highest first), impact columns; each cell its level, count and references. */
function heatMap(map) {
  const likelihoods = map.likelihood_labels.map((_, i) => i + 1).reverse();
  const impacts = map.impact_labels.map((_, i) => i + 1);
  const cell = (l, i) => map.cells.find((c) => c.likelihood === l && c.impact === i);
  return table(`Heat map (${fmt.label(map.basis)} ratings): ${map.placed} risks placed, ${map.unscored} unscored`,
    [h('th', { scope: 'col' }, 'Likelihood \\ impact'), ...impacts.map((i) => h('th', { scope: 'col' }, `${i} ${map.impact_labels[i - 1]}`))],
    likelihoods.map((l) => h('tr', {},
      h('th', { scope: 'row' }, `${l} ${map.likelihood_labels[l - 1]}`),
      impacts.map((i) => {
        const c = cell(l, i) || { score: l * i, level: '', count: 0, risks: [] };
        return levelCell(c.level, [
          h('span', { class: 'cell-level' }, `${fmt.label(c.level)} (${c.score})`),
          c.count ? h('span', { class: 'cell-risks' }, ': ', c.risks.flatMap((ref, k) => (k ? [', ', riskLink(ref)] : [riskLink(ref)]))) : null,
        ]);
      }))),
    { className: 'heatmap' });
}

async function list(main, ctx) {
  const basis = ['inherent', 'current', 'target'].includes(ctx.query.get('basis')) ? ctx.query.get('basis') : 'current';
  const [risks, map] = await Promise.all([api('/api/v1/risks'), api(`/api/v1/risks/heatmap${query({ basis })}`)]);
  main.appendChild(heading('Risk registers'));

  const due = risks.items.filter((r) => r.escalation_due);
  main.appendChild(h('section', { 'aria-labelledby': 'due' }, h('h2', { id: 'due' }, `Escalations due (${due.length})`),
    due.length
      ? h('ul', {}, due.map((r) => h('li', {}, riskLink(r.reference), ` ${r.title} — ${(r.escalation_reasons || []).join('; ')}`,
        r.parent ? ` (route up to ${r.parent})` : '')))
      : h('p', {}, 'No risk is due for escalation.')));

  const basisSelect = select('basis', [['inherent', 'Inherent'], ['current', 'Current'], ['target', 'Target']], basis);
  basisSelect.addEventListener('change', () => { location.hash = `#/risks?basis=${basisSelect.value}`; });
  main.appendChild(h('section', { 'aria-labelledby': 'map' }, h('h2', { id: 'map' }, 'Heat map'),
    field('Ratings to map', basisSelect), heatMap(map)));

  main.appendChild(table('Risks', ['Reference', 'Title', 'Register', 'Current', 'Target', 'Next review', 'Escalation'],
    risks.items.map((r) => h('tr', {},
      h('th', { scope: 'row' }, riskLink(r.reference)), h('td', {}, r.title), h('td', {}, r.register || '—'),
      levelCell(r.current && r.current.level, rating(r.current)), h('td', {}, rating(r.target)),
      h('td', {}, r.next_review ? fmt.date(r.next_review) : '—', r.review_overdue ? h('strong', {}, ' (overdue)') : null),
      h('td', {}, r.escalation_due ? [h('strong', {}, 'due'), r.parent ? ` (up to ${r.parent})` : ''] : (r.parent ? `up to ${r.parent}` : '—'))))));
}

async function detail(main, ctx) {
  const ref = ctx.params[0];
  const [r, history] = await Promise.all([api(`/api/v1/risks/${encodeURIComponent(ref)}`),
    api(`/api/v1/risks/${encodeURIComponent(ref)}/history`)]);
  main.appendChild(heading(`${r.reference} ${r.title}`));
  main.appendChild(h('dl', { class: 'facts' },
    h('dt', {}, 'Register'), h('dd', {}, `${r.register || '—'} (${fmt.label(r.level)})`),
    h('dt', {}, 'Owners'), h('dd', {}, (r.owners || []).join('; ') || '—'),
    h('dt', {}, 'Inherent'), h('dd', {}, rating(r.inherent)),
    h('dt', {}, 'Current'), h('dd', {}, rating(r.current)),
    h('dt', {}, 'Target'), h('dd', {}, rating(r.target)),
    h('dt', {}, 'Next review'), h('dd', {}, r.next_review ? fmt.date(r.next_review) : '—'),
    h('dt', {}, 'Escalation'), h('dd', {}, r.escalation_due ? `due: ${(r.escalation_reasons || []).join('; ')}` : 'not due'),
    h('dt', {}, 'Route upward'), h('dd', {}, (r.route_upward || []).length ? (r.route_upward).flatMap((x, k) => (k ? [' → ', riskLink(x)] : [riskLink(x)])) : '—')));
  if ((r.contributors || []).length) {
    main.appendChild(table('Contributing risks', ['Reference', 'Register', 'Current'], r.contributors.map((c) => h('tr', {},
      h('th', { scope: 'row' }, riskLink(c.reference)), h('td', {}, c.register || '—'),
      h('td', {}, rating(c.current && { ...c.current, level: c.current_level }))))));
  }
  const changes = history.changes || [];
  main.appendChild(h('h2', { id: 'trend' }, 'Score history'));
  main.appendChild(h('div', { class: 'chart' }, h('canvas', { id: 'risk-trend', role: 'img', 'aria-label': `Current and target score of ${r.reference} over time` })));
  main.appendChild(table('Score changes', ['Date', 'By', 'Inherent', 'Current', 'Target', 'Reason'], changes.map((c) => h('tr', {},
    h('th', { scope: 'row' }, fmt.date(c.date)), h('td', {}, c.by || '—'), h('td', {}, rating(c.inherent)),
    h('td', {}, rating(c.current)), h('td', {}, rating(c.target)), h('td', {}, c.reason || '')))));
  if ((history.decisions || []).length) {
    main.appendChild(table('Escalation decisions', ['Date', 'Decision', 'To', 'Group', 'Decided by', 'Reason'], history.decisions.map((d) => h('tr', {},
      h('th', { scope: 'row' }, fmt.date(d.date)), h('td', {}, fmt.label(d.kind)), h('td', {}, d.to || '—'),
      h('td', {}, d.group || '—'), h('td', {}, d.decided_by || '—'), h('td', {}, d.reason || '')))));
  }
  // Drawn once the page is in the document (the router calls what render returns after attaching it).
  return () => {
    const canvas = document.getElementById('risk-trend');
    if (typeof window.Chart !== 'function' || !canvas || !changes.length) return;
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: 'line',
      data: { labels: changes.map((c) => fmt.date(c.date)),
        datasets: [{ label: 'Current score', data: changes.map((c) => (c.current ? c.current.score : null)), borderColor: '#b10e1e', backgroundColor: '#b10e1e', pointRadius: 5 },
          { label: 'Target score', data: changes.map((c) => (c.target ? c.target.score : null)), borderColor: '#1d70b8', backgroundColor: '#1d70b8', pointRadius: 5, borderDash: [4, 4] }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 25 } } },
    });
  };
}

export async function render(main, ctx) {
  return ctx.params.length ? detail(main, ctx) : list(main, ctx);
}
