// Read-only preview of the follow-up report. Text is inserted with textContent only (never as HTML).
'use strict';
(async function () {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/api/v1/reports/follow-up?format=json', { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = 'Could not load the report: ' + (problem.detail || response.status);
      return;
    }
    const report = await response.json();
    const body = document.querySelector('#report tbody');
    for (const rec of report.recommendations) {
      const row = document.createElement('tr');
      if (rec.days_overdue > 0) row.className = 'overdue';
      const cells = [rec.engagement, rec.number, rec.title, rec.priority, rec.management_response.replace(/_/g, ' '),
        rec.status.replace(/_/g, ' '), rec.owners.join('; '), rec.target_date_display || '—',
        rec.current_target_date_display || '—', rec.days_overdue];
      for (const value of cells) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
    status.textContent = report.totals.recommendations + ' recommendations as of ' + report.as_of + '; ' +
      report.totals.overdue.actions + ' overdue actions; ' + report.totals.implemented_percent + '% implemented.';
    document.getElementById('report').hidden = false;
  } catch (error) {
    status.textContent = 'Could not load the report: ' + error.message;
  }
})();
