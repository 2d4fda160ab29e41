// Users: search and numbered pages live in the address (?q=&page=), so Back, reload and shared
// links all show the same list.
import { callApi, queryString } from './api-client.js';
import { badge, byId, element } from './dom.js';
import { showPageError, startAdminPage } from './page-shell.js';

const PAGE_SIZE = 25;

async function main() {
  if (!(await startAdminPage('users'))) return;
  const params = new URLSearchParams(location.search);
  const q = (params.get('q') ?? '').trim();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  byId('search-q').value = q;
  let list;
  try {
    list = await callApi(`/api/users${queryString({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })}`);
  } catch (error) {
    showPageError(error);
    return;
  }
  byId('user-rows').replaceChildren(
    ...(list.items.length === 0 ? [element('tr', {}, element('td', { colspan: 6 }, 'No users match.'))] : list.items.map(userRow)),
  );
  const pageCount = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  byId('users-summary').textContent = summaryOf(list, q, page, pageCount);
  byId('users-range').textContent = `Page ${Math.min(page, pageCount)} of ${pageCount}`;
  pagerLink('users-previous', page > 1 ? queryString({ q, page: Math.min(page - 1, pageCount) }) : null);
  pagerLink('users-next', page < pageCount ? queryString({ q, page: page + 1 }) : null);
  byId('page-loading').hidden = true;
  byId('page-content').hidden = false;
}

function summaryOf(list, q, page, pageCount) {
  if (list.total === 0) return q ? `No users match “${q}”.` : 'No users yet.';
  if (list.items.length === 0) return `There is no page ${page}: the list has ${pageCount}.`;
  const first = (page - 1) * PAGE_SIZE + 1;
  const users = `${list.total} user${list.total === 1 ? '' : 's'}`;
  return `Showing ${first}–${first + list.items.length - 1} of ${users}${q ? ` matching “${q}”` : ''}.`;
}

/** A pager link, or the same link shown as unavailable (not focusable, announced as disabled). */
function pagerLink(id, query) {
  const link = byId(id);
  if (query === null) {
    // A link without href loses its role; keep it, marked disabled, so the pager reads the same.
    link.removeAttribute('href');
    link.setAttribute('role', 'link');
    link.setAttribute('aria-disabled', 'true');
    link.classList.add('button--unavailable');
  } else {
    link.href = `/admin/users${query}`;
  }
}

function userRow(user) {
  const name = user.displayName ?? user.userName;
  return element(
    'tr',
    {},
    element('th', { scope: 'row' }, element('a', { href: `/admin/user?id=${encodeURIComponent(user.id)}` }, name)),
    element('td', {}, user.userName),
    element('td', {}, user.email ?? '—'),
    element('td', {}, user.role === 'admin' ? 'Administrator' : 'User'),
    element('td', {}, user.active ? badge('Active', 'active') : badge('Inactive', 'inactive')),
    element('td', {}, user.managedBy === 'scim' ? badge('SCIM', 'scim', 'Managed by your identity provider through SCIM') : 'This app'),
  );
}

main();
