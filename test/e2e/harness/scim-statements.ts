import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { rowsAdded } from '../../../src/organisations/organisation-row-counts';
import { User } from '../../../src/users/user.entity';
import { walksSettled } from '../../../src/scim/persistence/paged-query';
import type { ScimTenant } from './scim-tenant';
import type { TestApp } from './test-app';

/**
 * The SQL that the SCIM lookups Entra makes really execute, captured from TypeORM's query logger while the request
 * runs over HTTP. test/e2e/scim-queries.e2e-spec.ts keeps it as the reviewed files src/scim/persistence/
 * queries.<dialect>.sql; test/e2e/scim-explain.e2e-spec.ts EXPLAINs the same statements on MariaDB.
 */

export interface CapturedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export interface CapturedOperation {
  readonly name: string;
  readonly request: string;
  readonly statements: readonly CapturedStatement[];
}

/** The resources the captured requests look up, created in the tenant by seedStatementFixture. */
export interface StatementFixture {
  readonly ann: { readonly id: string; readonly userName: string; readonly externalId: string; readonly email: string };
  readonly floor: { readonly id: string; readonly displayName: string };
  /** Values that differ from run to run, and the stable names they are shown under in the golden files. */
  readonly labels: ReadonlyMap<string, string>;
}

/** The tables SCIM lists and lookups read; statements on others (authentication, logs) are not part of the story. */
const SCIM_TABLES = /\b(users|teams|team_members|user_emails|user_phone_numbers|user_addresses|organisation_row_counts)\b/;

const body = (response: { text: string }) => JSON.parse(response.text);

/** Users written straight into the table, as fast as the database takes them; `prefix0001@…` and so on. */
export async function bulkInsertUsers(dataSource: DataSource, organisationId: string, prefix: string, count: number): Promise<void> {
  const start = Date.now() - count;
  for (let offset = 0; offset < count; offset += 500) {
    const rows = Array.from({ length: Math.min(500, count - offset) }, (_, index) => {
      const number = offset + index;
      const userName = `${prefix}${String(number).padStart(5, '0')}@bulk.test`;
      return dataSource.manager.create(User, {
        id: randomUUID(),
        organisationId,
        userName,
        userNameNormalized: userName.toLowerCase(),
        displayName: `${prefix} ${number}`,
        externalId: randomUUID(),
        active: true,
        role: 'user',
        managedBy: 'scim',
        passwordHash: null,
        createdAt: new Date(start + number),
        updatedAt: new Date(start + number),
      });
    });
    await dataSource.transaction(async (em) => {
      await em.insert(User, rows);
      await rowsAdded(em, 'users', organisationId, rows.length);
    });
  }
}

/** 250 users of the tenant, then Ann (with an externalId and a work email) and a group of ten members. */
export async function seedStatementFixture(t: TestApp, tenant: ScimTenant, bulkUsers = 250): Promise<StatementFixture> {
  await bulkInsertUsers(t.dataSource, tenant.organisation.id, 'user', bulkUsers);
  const userName = 'ann.lee@contoso-test.example';
  const externalId = 'entra-object-ann-lee-0001';
  const ann = body(
    await tenant
      .post('/Users', { userName, externalId, displayName: 'Ann Lee', emails: [{ value: userName, type: 'work', primary: true }] })
      .expect(201),
  );
  const memberIds = await t.dataSource.manager.find(User, {
    select: { id: true },
    where: { organisationId: tenant.organisation.id },
    order: { createdAt: 'ASC', id: 'ASC' },
    take: 10,
  });
  const floor = body(
    await tenant
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Floor 3',
        members: [{ value: ann.id }, ...memberIds.map(({ id }) => ({ value: id }))],
      })
      .expect(201),
  );
  return {
    ann: { id: ann.id, userName, externalId, email: userName },
    floor: { id: floor.id, displayName: 'Floor 3' },
    labels: new Map([
      [tenant.organisation.id, '<organisation id>'],
      [ann.id, '<id of ann>'],
      [floor.id, '<id of Floor 3>'],
    ]),
  };
}

/**
 * Runs each lookup over HTTP and records the SELECTs it sent to the SCIM tables. The statements of one request
 * are sorted by their text: the contact loads of a page run concurrently, and their order is the pool's, not ours.
 */
export async function captureScimStatements(t: TestApp, tenant: ScimTenant, fixture: StatementFixture): Promise<CapturedOperation[]> {
  const secondPageCursor = body(await tenant.get('/Users?cursor=&count=100').expect(200)).nextCursor as string;
  const enc = encodeURIComponent;
  const operations: [string, string][] = [
    ['Entra: user by userName', `/Users?filter=${enc(`userName eq "${fixture.ann.userName}"`)}`],
    ['Entra: user by externalId', `/Users?filter=${enc(`externalId eq "${fixture.ann.externalId}"`)}`],
    ['Entra: user by id', `/Users/${fixture.ann.id}`],
    ['user by work email', `/Users?filter=${enc(`emails[type eq "work"].value eq "${fixture.ann.email}"`)}`],
    ['Entra: group by displayName', `/Groups?filter=${enc(`displayName eq "${fixture.floor.displayName}"`)}&excludedAttributes=members`],
    ['group by id with members', `/Groups/${fixture.floor.id}`],
    ['group by id without members', `/Groups/${fixture.floor.id}?excludedAttributes=members`],
    ['page of 100 users by startIndex', '/Users?startIndex=101&count=100'],
    // Reading the total of a list of over 2,000 users, the page above begins a walk that remembers every 1,000th row,
    // a hop at a time on the index (paged-query.ts; its statements are shown with the page). The deep page continues
    // after the row the walk remembered just before it, and so does the same page asked again (position-anchors.ts).
    ['deep page of 100 users by startIndex', '/Users?startIndex=2001&count=100'],
    ['deep page of 100 users by startIndex, asked again', '/Users?startIndex=2001&count=100'],
    ['page of 100 users by cursor', `/Users?cursor=${secondPageCursor}&count=100`],
    ['page of groups with members by cursor', '/Groups?cursor=&count=100'],
  ];
  const captured: CapturedOperation[] = [];
  for (const [name, path] of operations) {
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery');
    try {
      await tenant.get(path).expect(200);
      // A list walk the request began (paged-query.ts) belongs to it.
      await walksSettled(t.dataSource);
      const statements = spy.mock.calls
        .map(([sql, parameters]) => ({ sql, parameters: parameters ?? [] }))
        .filter(({ sql }) => /^\s*SELECT/i.test(sql) && SCIM_TABLES.test(sql))
        .sort((a, b) => a.sql.localeCompare(b.sql));
      const request = `GET ${tenant.base.replace(tenant.organisation.slug, '{organisation}')}${path.replace(secondPageCursor, '{nextCursor}')}`;
      captured.push({ name, request: labelled(request, fixture.labels), statements });
    } finally {
      spy.mockRestore();
    }
  }
  return captured;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/;

/** A parameter as the golden file shows it: run-specific values by name, every other id or time by its kind. */
export function describeParameter(value: unknown, labels: ReadonlyMap<string, string>): string {
  if (value instanceof Date) return '<datetime>';
  if (typeof value === 'string') {
    const label = labels.get(value);
    if (label !== undefined) return label;
    if (UUID.test(value)) return '<user id>';
    if (DATE_TIME.test(value)) return '<datetime>';
  }
  return JSON.stringify(value);
}

function labelled(text: string, labels: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [value, label] of labels) result = result.split(value).join(label);
  return result;
}
