// One user: identity fields, and the role and booking permissions. For a user the identity provider
// manages, the identity fields are shown locked with the reason; the server enforces the same rule
// (src/users/managed-by-scim.policy.ts), so this page only saves what it is allowed to.
import { callApi } from './api-client.js';
import { badge, byId } from './dom.js';
import { describeError, showPageError, startAdminPage } from './page-shell.js';

/** Identity text fields the page shows; `required` ones cannot be emptied, the others become null. */
const IDENTITY_TEXT_FIELDS = [
  { name: 'displayName', required: true },
  { name: 'userName', required: true },
  { name: 'email', required: true },
  { name: 'givenName' },
  { name: 'familyName' },
  { name: 'jobTitle' },
  { name: 'department' },
  { name: 'phone' },
];
const PERMISSIONS = ['canBookDesks', 'canBookRooms', 'canBookParking', 'canBookOnBehalf'];

const userId = new URLSearchParams(location.search).get('id') ?? '';
let user = null;

async function main() {
  if (!(await startAdminPage('users'))) return;
  if (!userId) {
    showPageError(new Error('No user was given. Choose one from the list of users.'));
    return;
  }
  try {
    user = await callApi(`/api/users/${encodeURIComponent(userId)}`);
  } catch (error) {
    showPageError(error);
    return;
  }
  render();
  byId('page-content').addEventListener('submit', save);
  byId('page-loading').hidden = true;
  byId('page-content').hidden = false;
}

const isManaged = () => user.managedBy === 'scim';

function render() {
  const name = user.displayName ?? user.userName;
  document.title = `${name} · Users · Workplace booking admin`;
  byId('user-heading').textContent = name;
  byId('crumb-name').textContent = name;
  const badges = [
    isManaged() && badge('SCIM', 'scim', 'Managed by your identity provider through SCIM'),
    user.active ? badge('Active', 'active') : badge('Inactive', 'inactive'),
  ].filter(Boolean);
  byId('user-badges').replaceChildren(...badges.flatMap((node, index) => (index === 0 ? [node] : [' ', node])));
  byId('managed-notice').hidden = !isManaged();
  for (const { name: field } of IDENTITY_TEXT_FIELDS) {
    const input = byId(field);
    input.value = user[field] ?? '';
    lock(input, isManaged());
  }
  byId('externalId').value = user.externalId ?? '';
  const active = byId('active');
  active.checked = user.active;
  // A checkbox cannot be read-only; disabled still shows its state and the reason is linked.
  active.disabled = isManaged();
  describeLock(active, isManaged());
  byId('role').value = user.role;
  for (const permission of PERMISSIONS) byId(permission).checked = user.permissions[permission];
}

/** Read-only rather than disabled: a locked value stays focusable, readable and selectable. */
function lock(input, locked) {
  input.readOnly = locked;
  input.required = !locked && IDENTITY_TEXT_FIELDS.some((field) => field.name === input.id && field.required);
  describeLock(input, locked);
  const label = document.querySelector(`label[for="${input.id}"]`);
  label.querySelector('.lock')?.remove();
  if (locked) {
    const marker = document.createElement('span');
    marker.className = 'lock';
    marker.textContent = '(locked)';
    label.append(marker);
  }
}

function describeLock(input, locked) {
  if (locked) input.setAttribute('aria-describedby', 'managed-reason');
  else input.removeAttribute('aria-describedby');
}

/** Only what changed goes to the server; on a managed user that is never an identity field. */
function changes() {
  const change = {};
  if (!isManaged()) {
    for (const { name, required } of IDENTITY_TEXT_FIELDS) {
      const value = byId(name).value.trim();
      const next = value === '' && !required ? null : value;
      if (next !== (user[name] ?? (required ? '' : null))) change[name] = next;
    }
    if (byId('active').checked !== user.active) change.active = byId('active').checked;
  }
  if (byId('role').value !== user.role) change.role = byId('role').value;
  const permissions = {};
  for (const permission of PERMISSIONS) {
    if (byId(permission).checked !== user.permissions[permission]) permissions[permission] = byId(permission).checked;
  }
  if (Object.keys(permissions).length > 0) change.permissions = permissions;
  return change;
}

async function save(event) {
  event.preventDefault();
  const errorBox = byId('save-error');
  const statusBox = byId('save-status');
  errorBox.textContent = '';
  statusBox.textContent = '';
  const missing = IDENTITY_TEXT_FIELDS.find(({ name, required }) => required && !isManaged() && byId(name).value.trim() === '');
  if (missing) {
    errorBox.textContent = `${document.querySelector(`label[for="${missing.name}"]`).textContent} cannot be empty.`;
    byId(missing.name).focus();
    return;
  }
  const change = changes();
  if (Object.keys(change).length === 0) {
    statusBox.textContent = 'Nothing to save: no field has changed.';
    return;
  }
  const button = byId('save');
  button.disabled = true;
  try {
    user = await callApi(`/api/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: change });
    render();
    // The status region announces it; focus stays on the Save button.
    statusBox.textContent = 'Changes saved.';
  } catch (error) {
    errorBox.textContent = describeError(error);
  } finally {
    button.disabled = false;
  }
}

main();
