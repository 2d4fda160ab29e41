// The sign-in page: email and password in, a session token out, kept in this tab only.
import { callApi, currentSession, safeNextPage, saveSession } from './api-client.js';
import { byId } from './dom.js';
import { describeError } from './page-shell.js';

const nextPage = safeNextPage(new URLSearchParams(location.search).get('next'));

if (currentSession()) {
  location.replace(nextPage);
} else {
  const form = byId('sign-in-form');
  const errorBox = byId('sign-in-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.textContent = '';
    const email = byId('email').value.trim();
    const password = byId('password').value;
    const organisation = byId('organisation').value.trim();
    if (!email || !password) {
      errorBox.textContent = 'Enter your email and password.';
      byId(email ? 'password' : 'email').focus();
      return;
    }
    const button = byId('sign-in');
    button.disabled = true;
    try {
      const session = await callApi('/api/auth/login', {
        method: 'POST',
        body: { email, password, ...(organisation && { organisation }) },
      });
      saveSession(session);
      location.assign(nextPage);
    } catch (error) {
      errorBox.textContent = describeError(error);
      byId('password').focus();
    } finally {
      button.disabled = false;
    }
  });
}
