// Dates and labels as the organisation writes them (SPEC 4.2): 05/01/2026 for a day, "Dec 2025" for a
// month-only target. Dates from the API are ISO (2026-01-05, or 2025-12 for a month).
'use strict';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-01-05' -> '05/01/2026'; '2025-12' -> 'Dec 2025'; '2026-01-05T10:00:00Z' -> '05/01/2026 10:00' (org zone). */
export function date(iso) {
  if (!iso) return '—';
  const text = String(iso);
  let m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const when = new Date(text);
    if (!Number.isNaN(when.getTime())) {
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      }).format(when);
      return parts.replace(',', '');
    }
  }
  return text;
}

/** Prefer the API's own display text ("Dec 2025", "31/12/2025") when it sent one. */
export function target(iso, display) { return display || date(iso); }

/** 'partially_accepted' -> 'Partially accepted'. */
export function label(snake) {
  if (snake === null || snake === undefined || snake === '') return '—';
  const text = String(snake).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 'IA-2024-25-PM', 1, 2 -> 'IA-2024-25-PM/1.2'. */
/** "1 action", "2 actions"; irregular plurals given: plural(n, 'person', 'people'). */
export function plural(n, one, many = `${one}s`) { return `${n} ${n === 1 ? one : many}`; }

export function reference(action) { return `${action.engagement}/${action.recommendation}.${action.number}`; }

export function owners(action) {
  return [action.lead_owner, ...(action.co_owners || [])].filter(Boolean).join('; ') || '—';
}

/** Days to due (positive) or overdue (negative) from today's ISO date; null without a date. */
export function daysToDue(action, todayIso) {
  const due = action.current_target_date;
  if (!due || !todayIso) return null;
  let dueDay = due;
  const m = /^(\d{4})-(\d{2})$/.exec(due);
  if (m) dueDay = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${dueDay}T00:00:00Z`) - Date.parse(`${todayIso}T00:00:00Z`)) / 86400000);
}

export function dueText(action, todayIso) {
  if (action.overdue) return `${action.days_overdue} days overdue`;
  const days = daysToDue(action, todayIso);
  if (days === null || action.rag === 'complete') return '—';
  return days === 0 ? 'due today' : `due in ${days} days`;
}

/** '05/01/2026' (dd/mm/yyyy, 1- or 2-digit day and month) or '2026-01-05' -> '2026-01-05'; '' -> ''; null if invalid. */
export function parseDate(text) {
  const value = String(text || '').trim();
  if (!value) return '';
  let y; let m; let d;
  let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (match) [, d, m, y] = match.map(Number);
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) [, y, m, d] = match.map(Number);
  else return null;
  const when = new Date(Date.UTC(y, m - 1, d));
  if (when.getUTCFullYear() !== y || when.getUTCMonth() !== m - 1 || when.getUTCDate() !== d) return null;
  return when.toISOString().slice(0, 10);
}
