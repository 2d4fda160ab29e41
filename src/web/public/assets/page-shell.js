// What every signed-in page shares: the session check, the header (who is signed in, sign out,
// the current section), the polite announcer for screen readers, confirmations and copy buttons.
import { ApiError, callApi, clearSession, currentSession, redirectToSignIn } from './api-client.js';
import { byId, element } from './dom.js';

/**
 * Checks the session and fills the header. Resolves with the signed-in admin, or null when the
 * page must not go on (no session: on the way to sign-in; not an admin: told so on the page).
 */
export async function startAdminPage(section) {
  if (!currentSession()) {
    redirectToSignIn();
    return null;
  }
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
  }
  byId('sign-out').addEventListener('click', async () => {
    // Ends the session on the server too, so the token stops working wherever a copy of it is. Signing out of
    // this tab must not wait on that: a failure (the server unreachable, the session already over) still signs out here.
    await callApi('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    clearSession();
    location.assign('/admin/');
  });
  let me;
  try {
    me = await callApi('/api/auth/me');
  } catch (error) {
    showPageError(error);
    return null;
  }
  byId('account-name').textContent = `Signed in as ${me.displayName ?? me.userName}`;
  byId('account').hidden = false;
  if (me.role !== 'admin') {
    showPageError(new Error('These pages are for administrators. Ask an admin of your organisation for access.'));
    return null;
  }
  return me;
}

/** Shows an error that stops the page, in its alert region, and hides the page body. */
export function showPageError(error) {
  const content = document.getElementById('page-content');
  if (content) content.hidden = true;
  const loading = document.getElementById('page-loading');
  if (loading) loading.hidden = true;
  byId('page-error').textContent = describeError(error);
}

/** A sentence for an error, from the API's message where there is one. */
export function describeError(error) {
  if (error instanceof ApiError) return `${capitalise(error.message)} (${error.code}).`;
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return error?.message ?? String(error);
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Says something to screen readers without moving focus (copy feedback, saved, loaded). */
export function announce(message) {
  const announcer = byId('announcer');
  // Clearing first makes a repeated message ("Copied") be announced again.
  announcer.textContent = '';
  setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

/**
 * A modal confirmation: a native <dialog>, so focus stays inside it, Escape cancels, and focus
 * goes back to the button that opened it. Resolves true only when the admin confirms.
 */
export function confirmAction({ title, paragraphs, confirmLabel, danger = false }) {
  const opener = document.activeElement;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  const descriptionId = `${titleId}-description`;
  const cancel = element('button', { type: 'button', class: 'button', autofocus: true }, 'Cancel');
  const confirm = element(
    'button',
    { type: 'button', class: danger ? 'button button--danger-solid' : 'button button--primary' },
    confirmLabel,
  );
  const dialog = element(
    'dialog',
    { 'aria-labelledby': titleId, 'aria-describedby': descriptionId },
    element('h2', { id: titleId }, title),
    element(
      'div',
      { id: descriptionId },
      paragraphs.map((text) => element('p', {}, text)),
    ),
    element('div', { class: 'actions' }, cancel, confirm),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let confirmed = false;
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', () => {
      confirmed = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement) opener.focus();
      resolve(confirmed);
    });
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * Wires every `[data-copy=<input id>]` button under `root`: one click copies the input's value
 * and says so, visibly on the button and to screen readers.
 */
export function wireCopyButtons(root = document) {
  for (const button of root.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', async () => {
      const source = byId(button.dataset.copy);
      const what = button.dataset.copyLabel ?? 'Text';
      const copied = await copyText(source);
      const label = button.querySelector('.copy-label') ?? button;
      label.textContent = copied ? 'Copied' : 'Copy';
      announce(copied ? `${what} copied to the clipboard.` : `Could not copy. Select the ${what.toLowerCase()} and copy it by hand.`);
      setTimeout(() => {
        label.textContent = 'Copy';
      }, 2500);
    });
  }
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // No async clipboard (plain http on a non-local host): select the text and use the old command.
    input.select();
    return document.execCommand('copy');
  }
}
