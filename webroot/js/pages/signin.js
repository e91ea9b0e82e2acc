// Sign-in: username and password -> POST /api/v1/session (cookie session; 401 wrong, 429 throttled).
'use strict';

import { h, field } from '../dom.js';
import { signIn, ApiError } from '../api.js';

export async function render(main, ctx) {
  if (ctx.me.authDisabled) {
    main.appendChild(h('h1', {}, 'Sign in'));
    main.appendChild(h('p', {}, 'This server has no sign-in: everything is read-only. ',
      h('a', { href: '#/tracker' }, 'Open the tracker.')));
    return;
  }
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { id: 'sign-in-error', class: 'error', role: 'alert' });
  const form = h('form', { class: 'panel narrow', id: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to govtrack'),
    field('Username', username),
    field('Password', password),
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      await signIn(username.value.trim(), password.value);
      password.value = '';
      await ctx.reloadMe();
      ctx.navigate('#/');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) message.textContent = 'The username or password is not right.';
      else if (error instanceof ApiError && error.status === 429) {
        message.textContent = 'Too many attempts. Wait a few minutes, then try again.';
      } else message.textContent = `Could not sign in: ${error.message}`;
      password.focus();
    }
  });
  main.appendChild(form);
  return () => username.focus();
}
