// Small DOM helpers. Text always goes in through textContent (never innerHTML), so data cannot inject markup.
'use strict';

/** h('a', {href: '#/x', class: 'btn', onclick: fn}, 'text', childNode, [more]) -> Element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

let nextId = 0;
/** A unique id for label/field pairs. */
export function uid(prefix) { nextId += 1; return `${prefix}-${nextId}`; }

/** A labelled field: <div class=field><label for=id>text</label>control</div>; control gets the id. */
export function field(labelText, control, hint) {
  const id = control.id || uid('f');
  control.id = id;
  const parts = [h('label', { for: id }, labelText), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

/** <select> from [[value, text], ...] with `selected` preselected. */
export function select(name, options, selected) {
  return h('select', { name },
    options.map(([value, text]) => h('option', { value, selected: String(value) === String(selected ?? '') }, text)));
}

/** A table inside a scrollable, keyboard-focusable region (readable at 200% zoom). */
export function table(caption, headers, rows, { className } = {}) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', { class: className },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((text) => (text instanceof Node ? text : h('th', { scope: 'col' }, text))))),
      h('tbody', {}, rows)));
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

/** Announces a message in the page's live region. */
export function announce(text, kind = 'info') {
  const region = document.getElementById('announce');
  if (!region) return;
  region.className = `announce ${kind}`;
  region.textContent = text;
}

/**
 * A date field written as the organisation writes dates (dd/mm/yyyy), whatever the browser's locale.
 * `isoValue` prefills it; read it with readDate(), which gives ISO, '' when empty, or null when invalid.
 */
export function dateInput(name, isoValue) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoValue || '');
  return h('input', { name, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'dd/mm/yyyy',
    size: 10, value: m ? `${m[3]}/${m[2]}/${m[1]}` : '' });
}
