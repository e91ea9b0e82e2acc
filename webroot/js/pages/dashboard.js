// Dashboard: implementation trend over time (rebuilt from the audit trail), overdue ageing by priority,
// revised-date counts. Charts by chart.js (webroot/vendor, from npm); each chart has its numbers in a table.
'use strict';

import { h, table } from '../dom.js';
import { api, query } from '../api.js';
import * as fmt from '../format.js';
import { heading } from './common.js';

const COLOURS = { high: '#b10e1e', medium: '#f47738', low: '#1d70b8' };

function chartCanvas(id, label) {
  return h('div', { class: 'chart' }, h('canvas', { id, role: 'img', 'aria-label': label }));
}

function draw(id, config) {
  if (typeof window.Chart !== 'function') return;  // no library: the tables carry the numbers
  const canvas = document.getElementById(id);
  if (!canvas) return;
  config.options = { animation: false, responsive: true, maintainAspectRatio: false, ...config.options };
  // eslint-disable-next-line no-new
  new window.Chart(canvas, config);
}

export async function render(main, ctx) {
  const engagement = ctx.query.get('engagement') || '';
  const d = await api(`/api/v1/dashboard${query({ engagement, months: 12 })}`);
  main.appendChild(heading('Dashboard'));
  main.appendChild(h('p', {}, `As of ${fmt.date(d.as_of)}.`));

  const last = d.trend[d.trend.length - 1];
  main.appendChild(h('ul', { class: 'tiles', id: 'tiles' },
    h('li', {}, h('strong', {}, String(last.open_actions)), ' open actions'),
    h('li', { class: 'tile-red' }, h('strong', {}, String(last.overdue_actions)), ' overdue'),
    h('li', {}, h('strong', {}, `${last.implemented_percent}%`), ' recommendations implemented'),
    h('li', {}, h('strong', {}, String(last.implemented_claims)), ' claims to verify'),
    h('li', {}, h('strong', {}, String(d.revisions.pending_requests)), ' revised-date requests pending')));

  const recorded = d.trend.filter((p) => p.recorded);
  main.appendChild(h('section', { 'aria-labelledby': 'trend-title' },
    h('h2', { id: 'trend-title' }, 'Implementation trend'),
    chartCanvas('chart-trend', 'Line chart of open, overdue and closed actions and percent implemented at each month end'),
    h('details', {}, h('summary', {}, 'Trend as a table'),
      table('Implementation trend', ['Date', 'Open', 'Overdue', 'Claims', 'Closed', '% implemented'], d.trend.map((p) => h('tr', {},
        h('th', { scope: 'row' }, fmt.date(p.date)),
        ...(p.recorded ? [p.open_actions, p.overdue_actions, p.implemented_claims, p.closed_actions, `${p.implemented_percent}%`]
          : ['—', '—', '—', '—', 'not recorded']).map((v) => h('td', { class: 'num' }, String(v)))))))));
  main.appendChild(h('section', { 'aria-labelledby': 'ageing-title' },
    h('h2', { id: 'ageing-title' }, 'Overdue ageing by priority'),
    chartCanvas('chart-ageing', 'Stacked bar chart of overdue actions by days overdue and priority'),
    table('Overdue actions by days overdue', ['Days overdue', 'High', 'Medium', 'Low', 'Total'], d.ageing.map((b) => h('tr', {},
      h('th', { scope: 'row' }, b.label),
      ['high', 'medium', 'low'].map((p) => h('td', { class: 'num' }, String(b.by_priority[p]))),
      h('td', { class: 'num' }, String(b.total)))), { className: 'compact' })));
  const revisionLabels = Object.keys(d.revisions.actions_by_revisions);
  main.appendChild(h('section', { 'aria-labelledby': 'revisions-title' },
    h('h2', { id: 'revisions-title' }, 'Revised target dates'),
    h('p', {}, `${fmt.plural(d.revisions.revised_actions, 'action')} revised (${fmt.plural(d.revisions.approved_revisions, 'approved revision')}, ${fmt.plural(d.revisions.total_slip_days, 'day')} total slip); ${d.revisions.two_or_more} revised two or more times; ${fmt.plural(d.revisions.pending_requests, 'request')} pending.`),
    chartCanvas('chart-revisions', 'Bar chart of actions by number of revised target dates and priority'),
    table('Actions by number of revisions', ['Revisions', 'High', 'Medium', 'Low'], revisionLabels.map((k) => h('tr', {},
      h('th', { scope: 'row' }, k),
      ['high', 'medium', 'low'].map((p) => h('td', { class: 'num' }, String(d.revisions.actions_by_revisions[k][p]))))), { className: 'compact' })));

  return () => drawAll(d, recorded, revisionLabels);
}

function drawAll(d, recorded, revisionLabels) {
  const priorityDatasets = (labels, get) => ['high', 'medium', 'low'].map((p) => ({
    label: fmt.label(p), backgroundColor: COLOURS[p], data: labels.map((l) => get(l, p)),
  }));
  draw('chart-trend', {
    type: 'line',
    data: {
      labels: recorded.map((p) => fmt.date(p.date)),
      datasets: [
        { label: 'Open', data: recorded.map((p) => p.open_actions), borderColor: '#1d70b8', backgroundColor: '#1d70b8' },
        { label: 'Overdue', data: recorded.map((p) => p.overdue_actions), borderColor: '#b10e1e', backgroundColor: '#b10e1e' },
        { label: 'Closed', data: recorded.map((p) => p.closed_actions), borderColor: '#00703c', backgroundColor: '#00703c' },
        { label: '% implemented', data: recorded.map((p) => p.implemented_percent), borderColor: '#6f72af', backgroundColor: '#6f72af', yAxisID: 'percent', borderDash: [6, 4] },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Actions' } },
      percent: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: '% implemented' } } } },
  });
  draw('chart-ageing', {
    type: 'bar',
    data: { labels: d.ageing.map((b) => `${b.label} days`), datasets: priorityDatasets(d.ageing, (b, p) => b.by_priority[p]) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw('chart-revisions', {
    type: 'bar',
    data: { labels: revisionLabels.map((k) => `${k} revisions`), datasets: priorityDatasets(revisionLabels, (k, p) => d.revisions.actions_by_revisions[k][p]) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
}
