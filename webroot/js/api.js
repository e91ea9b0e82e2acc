// Talking to /api/v1: JSON in and out, problem+json errors, the session cookie, the CSRF header on every
// write, If-Match on versioned writes (docs/api.md).
'use strict';

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function setCsrfToken(token) { csrfToken = token || null; }

/**
 * api('/api/v1/actions', {method, json, form, ifMatch, raw}) -> parsed JSON (or the Response when raw).
 * Throws ApiError with the problem's detail for any non-2xx answer.
 */
export async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: 'application/json' };
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;  // multipart/form-data: the browser sets the boundary
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (options.raw) return response;
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const json = await response.json();
  if (options.withEtag) return { body: json, etag: response.headers.get('ETag') };
  return json;
}

/** Builds '?a=1&b=x' from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Who is signed in. {signedIn: true, ...me} when a session is open; {signedIn: false} on 401;
 * {signedIn: false, authDisabled: true} when the server has no sign-in (no /api/v1/me route): read-only.
 */
export async function loadMe() {
  const response = await api('/api/v1/me', { raw: true });
  if (response.ok) {
    const me = await response.json();
    setCsrfToken(me.csrf_token);
    return { signedIn: true, ...me };
  }
  if (response.status === 401) return { signedIn: false };
  if (response.status === 404) return { signedIn: false, authDisabled: true, roles: [], groups: [], permissions: [] };
  let problem = null;
  try { problem = await response.json(); } catch (_) { /* not JSON */ }
  throw new ApiError(response.status, problem);
}

export async function signIn(username, password) {
  const result = await api('/api/v1/session', { method: 'POST', json: { username, password } });
  setCsrfToken(result.csrf_token);
  return result;
}

export async function signOut() {
  await api('/api/v1/session', { method: 'DELETE' });
  setCsrfToken(null);
}

/** The server's today (organisation zone), cached: overdue and days-to-due are measured against it. */
let todayPromise = null;
export function serverToday() {
  if (!todayPromise) {
    // /api/v1/me carries it for every signed-in user (the dashboard, which also has it, is staff-only).
    todayPromise = api('/api/v1/me').then((me) => me.today).catch(() => new Date().toISOString().slice(0, 10));
  }
  return todayPromise;
}
