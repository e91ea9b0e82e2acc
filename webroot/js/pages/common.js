// Pieces several pages share: RAG badges, the action table row, problem messages.
'use strict';

import { h } from '../dom.js';
import * as fmt from '../format.js';

export function rag(value) {
  const text = value === 'complete' ? 'Complete' : fmt.label(value);
  return h('span', { class: `rag rag-${value}` }, text);
}

export function actionLink(action) {
  return h('a', { href: `#/actions/${encodeURIComponent(action.id)}` }, fmt.reference(action));
}

export function errorText(error) {
  if (error && error.status === 403) return `Not allowed: ${error.message}`;
  if (error && error.status === 412) return 'Someone else changed this action meanwhile. It has been reloaded: check it and try again.';
  return error && error.message ? error.message : String(error);
}

export function heading(text, ...rest) { return h('h1', {}, text, ...rest); }
