// Integrations → SCIM provisioning: the on/off state and its figures, enabling (the only moment the
// token is visible), rotating and disabling with confirmations, and the provisioning log.
import { callApi, queryString } from './api-client.js';
import { badge, byId, element, timeElement } from './dom.js';
import { announce, confirmAction, describeError, showPageError, startAdminPage, wireCopyButtons } from './page-shell.js';

const LOG_PAGE_SIZE = 20;

const OPERATION_LABELS = {
  create: 'Create',
  update: 'Update',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  delete: 'Delete',
  adopt: 'Adopt existing user',
  bookings_released: 'Bookings released',
  rejected: 'Rejected request',
};

let status = null;
const log = { offset: 0, filters: {} };

async function main() {
  if (!(await startAdminPage('integrations'))) return;
  wireCopyButtons();
  byId('enable').addEventListener('click', enable);
  byId('rotate').addEventListener('click', rotate);
  byId('disable').addEventListener('click', disable);
  byId('credentials-done').addEventListener('click', hideCredentials);
  byId('log-filters').addEventListener('submit', applyLogFilters);
  byId('log-filters').addEventListener('reset', () => setTimeout(applyLogFilters));
  byId('log-previous').addEventListener('click', () => showLogPage(Math.max(0, log.offset - LOG_PAGE_SIZE)));
  byId('log-next').addEventListener('click', () => showLogPage(log.offset + LOG_PAGE_SIZE));
  try {
    await Promise.all([loadStatus(), loadLog(0)]);
  } catch (error) {
    showPageError(error);
    return;
  }
  byId('page-loading').hidden = true;
  byId('page-content').hidden = false;
}

async function loadStatus() {
  status = await callApi('/api/integrations/scim');
  renderStatus();
}

function renderStatus() {
  byId('state-badge').replaceChildren(status.enabled ? badge('On', 'on') : badge('Off', 'off'));
  byId('state-off').hidden = status.enabled;
  byId('state-on').hidden = !status.enabled;
  byId('stat-last-activity').replaceChildren(timeElement(status.lastActivityAt, 'No calls yet'));
  byId('stat-managed-users').textContent = String(status.managedUsers);
  byId('stat-managed-teams').textContent = String(status.managedTeams);
  byId('stat-errors').textContent = String(status.errorsLast24h);
  byId('stat-errors-box').classList.toggle('stat--alert', status.errorsLast24h > 0);
  byId('stat-token-created').replaceChildren(timeElement(status.tokenCreatedAt));
  byId('tenant-url').value = status.tenantUrl;
  byId('tenant-url-problem').textContent = status.tenantUrlProblem ?? '';
}

async function enable() {
  await runAction(async () => {
    showCredentials(await callApi('/api/integrations/scim/enable', { method: 'POST' }));
    await loadStatus();
  });
}

async function rotate() {
  const confirmed = await confirmAction({
    title: 'Rotate the SCIM token?',
    paragraphs: [
      'A new token is issued and the current one stops working immediately.',
      'Provisioning fails until you paste the new token into your identity provider.',
    ],
    confirmLabel: 'Rotate token',
  });
  if (!confirmed) return;
  await runAction(async () => {
    showCredentials(await callApi('/api/integrations/scim/rotate-token', { method: 'POST' }));
    await loadStatus();
  });
}

async function disable() {
  // Says exactly what ScimCredentialsService.disable does: revoke the token, hand managed users
  // and teams back to the app (managedBy cleared), and nothing else: no deactivation, no deletion.
  const confirmed = await confirmAction({
    title: 'Disable SCIM provisioning?',
    paragraphs: [
      'The token is revoked at once: every call from your identity provider will be refused until you enable provisioning again and paste a new token.',
      `The ${plural(status.managedUsers, 'user')} and ${plural(status.managedTeams, 'team')} it manages stay, with their access, roles and bookings: nobody is deactivated or deleted. They stop being managed by the identity provider and become editable here, like people you added yourself.`,
      'Changes made in the identity provider from now on will not reach this app.',
    ],
    confirmLabel: 'Disable provisioning',
    danger: true,
  });
  if (!confirmed) return;
  await runAction(async () => {
    await callApi('/api/integrations/scim/disable', { method: 'POST' });
    hideCredentials();
    await loadStatus();
    announce('SCIM provisioning is disabled.');
    byId('enable').focus();
  });
}

async function runAction(action) {
  const errorBox = byId('action-error');
  errorBox.textContent = '';
  try {
    await action();
  } catch (error) {
    errorBox.textContent = describeError(error);
  }
}

function showCredentials(issued) {
  byId('issued-tenant-url').value = issued.tenantUrl;
  byId('issued-token').value = issued.token;
  const panel = byId('credentials');
  panel.hidden = false;
  // Focus the panel so keyboard and screen reader users land on the warning and the copy buttons.
  panel.focus();
}

function hideCredentials() {
  byId('issued-token').value = '';
  byId('credentials').hidden = true;
  if (!byId('state-on').hidden) byId('rotate').focus();
}

function applyLogFilters(event) {
  event?.preventDefault();
  const form = new FormData(byId('log-filters'));
  log.filters = { operation: form.get('operation'), outcome: form.get('outcome'), user: String(form.get('user') ?? '').trim() };
  showLogPage(0);
}

/** Loads a page of the log after the page is up: a failure is said where the range would be. */
function showLogPage(offset) {
  loadLog(offset).catch((error) => {
    byId('log-range').textContent = describeError(error);
  });
}

async function loadLog(offset) {
  const page = await callApi(`/api/integrations/scim/log${queryString({ ...log.filters, limit: LOG_PAGE_SIZE, offset })}`);
  log.offset = offset;
  byId('log-rows').replaceChildren(
    ...(page.items.length === 0
      ? [element('tr', {}, element('td', { colspan: 6 }, 'No provisioning events match.'))]
      : page.items.map(logRow)),
  );
  const range = page.total === 0 ? 'No events' : `Events ${offset + 1}–${offset + page.items.length} of ${page.total}`;
  byId('log-range').textContent = range;
  byId('log-previous').disabled = offset === 0;
  byId('log-next').disabled = offset + page.items.length >= page.total;
}

function logRow(entry) {
  const user = entry.userName ?? entry.userId;
  return element(
    'tr',
    {},
    element('td', {}, timeElement(entry.at)),
    element('td', {}, OPERATION_LABELS[entry.operation] ?? entry.operation),
    element(
      'td',
      {},
      user && entry.userId ? element('a', { href: `/admin/user?id=${encodeURIComponent(entry.userId)}` }, user) : (user ?? '—'),
    ),
    element('td', {}, entry.outcome === 'success' ? badge('Success', 'success') : badge('Failure', 'failure')),
    element('td', {}, String(entry.httpStatus)),
    element('td', {}, entry.summary),
  );
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

main();
