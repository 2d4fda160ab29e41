import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { FindOptionsWhere } from 'typeorm';
import { Booking } from '../../src/bookings/bookings/booking.entity';
import { Resource } from '../../src/bookings/resources/resource.entity';
import { User } from '../../src/users/user.entity';
import type { UserPermissions, UserView } from '../../src/users/user.view';
import { createTestApp, TEST_PASSWORD, type SeededOrganisation, type TestApp } from './harness/test-app';

// Resources, bookings and the way user lifecycle (deactivate, delete) frees bookings, over real
// HTTP. Every test makes its own resources, so the tests share one app without sharing slots.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `hour`:`minute` UTC on the day `days` from today; days >= 1 is always in the future. */
function at(days: number, hour: number, minute = 0): string {
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0);
  return new Date(midnight.getTime() + days * DAY + hour * HOUR + minute * MINUTE).toISOString();
}

/** Tomorrow (or `days` ahead) from `from`:00 to `to`:00 UTC. */
const slot = (from: number, to: number, days = 1) => ({ start: at(days, from), end: at(days, to) });

const fromNow = (ms: number): string => new Date(Date.now() + ms).toISOString();

describe('resources and bookings', () => {
  let t: TestApp;
  let acme: SeededOrganisation;
  let globex: SeededOrganisation;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp('bookings');
    acme = await t.createOrganisation('Acme');
    globex = await t.createOrganisation('Globex');
  });
  afterAll(() => t.close());

  // --- helpers ---------------------------------------------------------------------------------

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = (token: string, path: string) => t.http().get(path).set(bearer(token));
  const post = (token: string, path: string, body: object) => t.http().post(path).set(bearer(token)).send(body);
  const patch = (token: string, path: string, body: object) => t.http().patch(path).set(bearer(token)).send(body);
  const del = (token: string, path: string) => t.http().delete(path).set(bearer(token));

  async function createResource(org: SeededOrganisation, type: 'desk' | 'room' | 'parking' = 'desk', name = `${type} ${++counter}`) {
    const response = await post(org.adminToken, '/api/resources', { name, type }).expect(201);
    return response.body as { id: string; name: string; type: string; createdAt: string };
  }

  /** A user of `org` who never signs in (someone others book for). */
  async function createMember(org: SeededOrganisation, permissions?: Partial<UserPermissions>): Promise<UserView> {
    const user = await t.createUser(org.organisation.id, { email: `member${++counter}@${org.organisation.slug}.test` });
    if (permissions) await setPermissions(org, user.id, permissions);
    return user;
  }

  /** A signed-in, non-admin user of `org`. */
  async function signIn(org: SeededOrganisation, permissions?: Partial<UserPermissions>): Promise<{ user: UserView; token: string }> {
    const email = `user${++counter}@${org.organisation.slug}.test`;
    const user = await t.createUser(org.organisation.id, { email, password: TEST_PASSWORD });
    if (permissions) await setPermissions(org, user.id, permissions);
    return { user, token: await t.login(email, TEST_PASSWORD) };
  }

  async function setPermissions(org: SeededOrganisation, userId: string, permissions: Partial<UserPermissions>): Promise<void> {
    await patch(org.adminToken, `/api/users/${userId}`, { permissions }).expect(200);
  }

  async function book(token: string, body: { resourceId: string; userId?: string; start: string; end: string }) {
    const response = await post(token, '/api/bookings', body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body as BookingBody;
  }

  async function bookings(token: string, query = ''): Promise<BookingBody[]> {
    const response = await get(token, `/api/bookings${query}`).expect(200);
    return response.body.items;
  }

  const bookingRows = (where: FindOptionsWhere<Booking>) =>
    t.dataSource.getRepository(Booking).find({ where, order: { start: 'ASC', id: 'ASC' } });

  /** Everything a booking request could change; a refused request must leave all of it as it was. */
  async function databaseState() {
    return {
      resources: await t.dataSource.getRepository(Resource).find({ order: { id: 'ASC' } }),
      bookings: await t.dataSource.getRepository(Booking).find({ order: { id: 'ASC' } }),
      users: await t.dataSource.getRepository(User).find({ order: { id: 'ASC' } }),
    };
  }

  function expectError(response: Response, status: number, code: string): void {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.body.statusCode).toBe(status);
    expect(typeof response.body.message).toBe('string');
  }

  /** Sends a request that must fail with `status`/`code` and change nothing; returns the error body. */
  async function refused(request: PromiseLike<Response>, status: number, code: string) {
    const before = await databaseState();
    const response = await request;
    expectError(response, status, code);
    expect(await databaseState()).toEqual(before);
    return response.body as { statusCode: number; code: string; message: string; details?: Record<string, unknown> };
  }

  // --- resources -------------------------------------------------------------------------------

  describe('POST /api/resources', () => {
    it('lets an admin create a resource (201), trimming the name', async () => {
      const response = await post(acme.adminToken, '/api/resources', { name: '  Window Desk 1  ', type: 'desk' }).expect(201);
      expect(response.body).toEqual({ id: expect.any(String), name: 'Window Desk 1', type: 'desk', createdAt: expect.any(String) });
      expect(new Date(response.body.createdAt).getTime()).toBeGreaterThan(Date.now() - MINUTE);

      const fetched = await get(acme.adminToken, `/api/resources/${response.body.id}`).expect(200);
      expect(fetched.body).toEqual(response.body);
    });

    it('accepts a name of exactly 200 characters', async () => {
      const name = `Desk ${'x'.repeat(195)}`;
      const response = await post(acme.adminToken, '/api/resources', { name, type: 'desk' }).expect(201);
      expect(response.body.name).toBe(name);
    });

    it('refuses non-admins with 403 FORBIDDEN', async () => {
      const { token } = await signIn(acme);
      await refused(post(token, '/api/resources', { name: 'Sneaky desk', type: 'desk' }), 403, 'FORBIDDEN');
      const list = await get(acme.adminToken, '/api/resources').expect(200);
      expect(list.body.items.map((r: { name: string }) => r.name)).not.toContain('Sneaky desk');
    });

    it('refuses requests without a valid token with 401', async () => {
      const before = await databaseState();
      expectError(await t.http().post('/api/resources').send({ name: 'Anonymous desk', type: 'desk' }), 401, 'UNAUTHENTICATED');
      expectError(await post('not-a-token', '/api/resources', { name: 'Anonymous desk', type: 'desk' }), 401, 'UNAUTHENTICATED');
      expect(await databaseState()).toEqual(before);
    });

    it('refuses a duplicate name, ignoring case and surrounding spaces, with 409 RESOURCE_NAME_TAKEN', async () => {
      const original = await createResource(acme, 'room', 'Board Room');
      const body = await refused(post(acme.adminToken, '/api/resources', { name: 'BOARD room', type: 'room' }), 409, 'RESOURCE_NAME_TAKEN');
      expect(body.details).toEqual({ fields: ['name'] });
      await refused(post(acme.adminToken, '/api/resources', { name: ' board room ', type: 'desk' }), 409, 'RESOURCE_NAME_TAKEN');

      const rooms = await get(acme.adminToken, '/api/resources?type=room').expect(200);
      expect(rooms.body.items.filter((r: { name: string }) => r.name.toLowerCase() === 'board room')).toEqual([original]);
    });

    it('allows the same name in another organisation', async () => {
      await createResource(acme, 'room', 'Shared Name Room');
      const other = await post(globex.adminToken, '/api/resources', { name: 'Shared Name Room', type: 'room' }).expect(201);
      expect(other.body.name).toBe('Shared Name Room');
    });

    it.each([
      ['an unknown type', { name: 'Sofa 1', type: 'sofa' }, 'type'],
      ['a missing type', { name: 'Typeless' }, 'type'],
      ['a blank name', { name: '   ', type: 'desk' }, 'name'],
      ['an empty name', { name: '', type: 'desk' }, 'name'],
      ['a missing name', { type: 'desk' }, 'name'],
      ['a non-string name', { name: 42, type: 'desk' }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201), type: 'desk' }, 'name'],
      ['an unknown field', { name: 'Desk with extras', type: 'desk', floor: 3 }, 'floor'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_case, body, field) => {
      const error = await refused(post(acme.adminToken, '/api/resources', body), 400, 'VALIDATION_FAILED');
      expect(error.details?.fields).toContain(field);
    });
  });

  describe('GET /api/resources', () => {
    let mine: { id: string; name: string; type: string }[];

    beforeAll(async () => {
      mine = [
        await createResource(acme, 'parking', 'P-list-2'),
        await createResource(acme, 'parking', 'p-list-1'),
        await createResource(acme, 'room', 'R-list'),
      ];
      await createResource(globex, 'parking', 'P-list-globex');
    });

    it("lists the organisation's resources by name, to any signed-in user", async () => {
      const { token } = await signIn(acme);
      const response = await get(token, '/api/resources').expect(200);
      const names: string[] = response.body.items.map((r: { name: string }) => r.name);
      expect(names).toEqual(expect.arrayContaining(['p-list-1', 'P-list-2', 'R-list']));
      expect(names).not.toContain('P-list-globex');
      expect(names.indexOf('p-list-1')).toBeLessThan(names.indexOf('P-list-2'));
      expect(response.body.items).toHaveLength(
        await t.dataSource.getRepository(Resource).countBy({ organisationId: acme.organisation.id }),
      );
    });

    it('filters by ?type=', async () => {
      const response = await get(acme.adminToken, '/api/resources?type=parking').expect(200);
      expect(response.body.items).toEqual([
        { id: mine[1].id, name: 'p-list-1', type: 'parking', createdAt: expect.any(String) },
        { id: mine[0].id, name: 'P-list-2', type: 'parking', createdAt: expect.any(String) },
      ]);
    });

    it('refuses an unknown ?type= with 400 VALIDATION_FAILED', async () => {
      expectError(await get(acme.adminToken, '/api/resources?type=sofa'), 400, 'VALIDATION_FAILED');
    });

    it("answers 404 RESOURCE_NOT_FOUND for another organisation's resource or an unknown id", async () => {
      const [theirs] = (await get(globex.adminToken, '/api/resources?type=parking').expect(200)).body.items;
      expectError(await get(acme.adminToken, `/api/resources/${theirs.id}`), 404, 'RESOURCE_NOT_FOUND');
      expectError(await get(acme.adminToken, `/api/resources/${randomUUID()}`), 404, 'RESOURCE_NOT_FOUND');
    });
  });

  // --- booking ---------------------------------------------------------------------------------

  describe('POST /api/bookings', () => {
    it('books a resource for the caller (201) and stores exactly that', async () => {
      const desk = await createResource(acme);
      const { user, token } = await signIn(acme);
      const response = await post(token, '/api/bookings', { resourceId: desk.id, ...slot(9, 17) }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        resourceId: desk.id,
        userId: user.id,
        bookedById: null,
        start: at(1, 9),
        end: at(1, 17),
        status: 'confirmed',
        cancelledReason: null,
        cancelledAt: null,
        createdAt: expect.any(String),
      });

      expect((await get(token, `/api/bookings/${response.body.id}`).expect(200)).body).toEqual(response.body);
      const [row] = await bookingRows({ resourceId: desk.id });
      expect(row).toMatchObject({ id: response.body.id, organisationId: acme.organisation.id, userId: user.id, status: 'confirmed' });
      expect(row.start.toISOString()).toBe(at(1, 9));
      expect(row.end.toISOString()).toBe(at(1, 17));
    });

    it('reads timestamps with any UTC offset and answers in UTC', async () => {
      const desk = await createResource(acme);
      const start = at(2, 9).replace('T09:00:00.000Z', 'T11:00:00+02:00');
      const end = at(2, 12).replace('T12:00:00.000Z', 'T07:00:00-05:00');
      const booking = await book(acme.adminToken, { resourceId: desk.id, start, end });
      expect({ start: booking.start, end: booking.end }).toEqual({ start: at(2, 9), end: at(2, 12) });
    });

    it('accepts a booking that is already under way', async () => {
      const desk = await createResource(acme);
      const booking = await book(acme.adminToken, { resourceId: desk.id, start: fromNow(-HOUR), end: fromNow(HOUR) });
      expect(booking.status).toBe('confirmed');
    });

    describe('overlaps', () => {
      let desk: { id: string };
      let morning: BookingBody;

      beforeAll(async () => {
        desk = await createResource(acme);
        morning = await book(acme.adminToken, { resourceId: desk.id, ...slot(9, 12) });
      });

      it.each([
        ['the same period', slot(9, 12)],
        ['a period inside it', { start: at(1, 10), end: at(1, 11) }],
        ['a period around it', slot(8, 13)],
        ['a period straddling its start', slot(8, 10)],
        ['a period straddling its end', { start: at(1, 11, 59), end: at(1, 14) }],
      ])('refuses %s with 409 BOOKING_OVERLAP, naming the booking in the way', async (_case, period) => {
        const { token } = await signIn(acme);
        const error = await refused(post(token, '/api/bookings', { resourceId: desk.id, ...period }), 409, 'BOOKING_OVERLAP');
        expect(error.details).toEqual({ conflictingBookingId: morning.id, conflictingStart: morning.start, conflictingEnd: morning.end });
        expect((await bookings(acme.adminToken, `?resourceId=${desk.id}`)).map((b) => b.id)).toEqual([morning.id]);
      });

      it('accepts bookings that only touch its end or its start', async () => {
        const after = await book(acme.adminToken, { resourceId: desk.id, ...slot(12, 14) });
        const before = await book(acme.adminToken, { resourceId: desk.id, ...slot(7, 9) });
        expect((await bookings(acme.adminToken, `?resourceId=${desk.id}`)).map((b) => b.id)).toEqual([before.id, morning.id, after.id]);
      });

      it('does not let one resource block another', async () => {
        const otherDesk = await createResource(acme);
        await book(acme.adminToken, { resourceId: otherDesk.id, ...slot(9, 12) });
      });
    });

    it('refuses an inactive user with 409 USER_INACTIVE', async () => {
      const desk = await createResource(acme);
      const member = await createMember(acme);
      await patch(acme.adminToken, `/api/users/${member.id}`, { active: false }).expect(200);
      const error = await refused(
        post(acme.adminToken, '/api/bookings', { resourceId: desk.id, userId: member.id, ...slot(9, 10) }),
        409,
        'USER_INACTIVE',
      );
      expect(error.details).toEqual({ userId: member.id });
      expect(await bookings(acme.adminToken, `?resourceId=${desk.id}`)).toEqual([]);
    });

    it('signs a deactivated user out, so they cannot book for themselves either', async () => {
      const desk = await createResource(acme);
      const { user, token } = await signIn(acme);
      await patch(acme.adminToken, `/api/users/${user.id}`, { active: false }).expect(200);
      await refused(post(token, '/api/bookings', { resourceId: desk.id, ...slot(9, 10) }), 401, 'UNAUTHENTICATED');
    });

    describe('permissions', () => {
      it('refuses parking by default with 403 BOOKING_NOT_PERMITTED, and allows it once granted', async () => {
        const space = await createResource(acme, 'parking');
        const { user, token } = await signIn(acme);
        const error = await refused(post(token, '/api/bookings', { resourceId: space.id, ...slot(8, 18) }), 403, 'BOOKING_NOT_PERMITTED');
        expect(error.details).toEqual({ userId: user.id, type: 'parking' });
        // The permission is the booked user's, so an admin booking for them is refused too.
        await refused(
          post(acme.adminToken, '/api/bookings', { resourceId: space.id, userId: user.id, ...slot(8, 18) }),
          403,
          'BOOKING_NOT_PERMITTED',
        );
        expect(await bookings(acme.adminToken, `?resourceId=${space.id}`)).toEqual([]);

        await setPermissions(acme, user.id, { canBookParking: true });
        const booking = await book(token, { resourceId: space.id, ...slot(8, 18) });
        expect(booking).toMatchObject({ resourceId: space.id, userId: user.id, status: 'confirmed' });
      });

      it('follows each permission for its own type only', async () => {
        const room = await createResource(acme, 'room');
        const desk = await createResource(acme, 'desk');
        const { user, token } = await signIn(acme, { canBookRooms: false });
        expect(
          (await refused(post(token, '/api/bookings', { resourceId: room.id, ...slot(9, 10) }), 403, 'BOOKING_NOT_PERMITTED')).details,
        ).toEqual({
          userId: user.id,
          type: 'room',
        });
        await book(token, { resourceId: desk.id, ...slot(9, 10) });
        await setPermissions(acme, user.id, { canBookDesks: false });
        await refused(post(token, '/api/bookings', { resourceId: desk.id, ...slot(11, 12) }), 403, 'BOOKING_NOT_PERMITTED');
      });
    });

    describe('booking for someone else', () => {
      it('refuses a non-admin with 403 FORBIDDEN unless they may book on behalf of others', async () => {
        const desk = await createResource(acme);
        const colleague = await createMember(acme);
        const { user: assistant, token } = await signIn(acme);
        await refused(post(token, '/api/bookings', { resourceId: desk.id, userId: colleague.id, ...slot(9, 10) }), 403, 'FORBIDDEN');
        expect(await bookings(acme.adminToken, `?userId=${colleague.id}`)).toEqual([]);

        await setPermissions(acme, assistant.id, { canBookOnBehalf: true });
        const booking = await book(token, { resourceId: desk.id, userId: colleague.id, ...slot(9, 10) });
        expect(booking).toMatchObject({ userId: colleague.id, bookedById: assistant.id, status: 'confirmed' });
        // The one who made it can see it; it is not theirs in their own list.
        expect((await get(token, `/api/bookings/${booking.id}`).expect(200)).body.id).toBe(booking.id);
        expect(await bookings(token)).toEqual([]);
        expect((await bookings(acme.adminToken, `?userId=${colleague.id}`)).map((b) => b.id)).toEqual([booking.id]);
      });

      it('lets an admin book for anyone in the organisation, recording who booked', async () => {
        const desk = await createResource(acme);
        const colleague = await createMember(acme);
        const booking = await book(acme.adminToken, { resourceId: desk.id, userId: colleague.id, ...slot(9, 10) });
        expect(booking).toMatchObject({ userId: colleague.id, bookedById: acme.admin.id });
      });

      it('treats naming oneself as booking for oneself', async () => {
        const desk = await createResource(acme);
        const { user, token } = await signIn(acme);
        const booking = await book(token, { resourceId: desk.id, userId: user.id, ...slot(9, 10) });
        expect(booking).toMatchObject({ userId: user.id, bookedById: null });
      });
    });

    describe('invalid periods and input', () => {
      let desk: { id: string };
      beforeAll(async () => {
        desk = await createResource(acme);
      });

      it.each([
        ['an end before the start', () => ({ start: at(1, 10), end: at(1, 9) }), 'end_not_after_start'],
        ['an end equal to the start', () => ({ start: at(1, 10), end: at(1, 10) }), 'end_not_after_start'],
        ['a period that ended in the past', () => ({ start: fromNow(-3 * HOUR), end: fromNow(-HOUR) }), 'ends_in_past'],
        [
          'a period longer than 14 days',
          () => ({ start: at(1, 9), end: new Date(Date.parse(at(1, 9)) + 14 * DAY + MINUTE).toISOString() }),
          'too_long',
        ],
      ])('refuses %s with 400 VALIDATION_FAILED', async (_case, period, problem) => {
        const error = await refused(post(acme.adminToken, '/api/bookings', { resourceId: desk.id, ...period() }), 400, 'VALIDATION_FAILED');
        expect(error.details).toEqual({ fields: ['start', 'end'], problem });
      });

      it('accepts exactly 14 days', async () => {
        const start = at(30, 0);
        await book(acme.adminToken, { resourceId: desk.id, start, end: new Date(Date.parse(start) + 14 * DAY).toISOString() });
      });

      const tomorrow = at(1, 9).slice(0, 10);
      it.each([
        ['a start without an offset', { start: `${tomorrow}T09:00:00`, end: `${tomorrow}T10:00:00Z` }, 'start'],
        ['an end without an offset', { start: `${tomorrow}T09:00:00Z`, end: `${tomorrow}T10:00:00` }, 'end'],
        ['a date without a time', { start: tomorrow, end: `${tomorrow}T10:00:00Z` }, 'start'],
        ['an impossible date', { start: '2099-02-30T09:00:00Z', end: '2099-02-30T10:00:00Z' }, 'start'],
        ['words instead of a time', { start: 'tomorrow at nine', end: `${tomorrow}T10:00:00Z` }, 'start'],
        ['a number instead of a time', { start: Date.now() + DAY, end: `${tomorrow}T10:00:00Z` }, 'start'],
        ['a missing end', { start: `${tomorrow}T09:00:00Z` }, 'end'],
        ['an unknown field', { start: `${tomorrow}T09:00:00Z`, end: `${tomorrow}T10:00:00Z`, note: 'hi' }, 'note'],
      ])('refuses %s with 400 VALIDATION_FAILED', async (_case, body, field) => {
        const error = await refused(post(acme.adminToken, '/api/bookings', { resourceId: desk.id, ...body }), 400, 'VALIDATION_FAILED');
        expect(error.details?.fields).toContain(field);
      });

      it('refuses a missing resourceId with 400 VALIDATION_FAILED', async () => {
        const error = await refused(post(acme.adminToken, '/api/bookings', slot(9, 10)), 400, 'VALIDATION_FAILED');
        expect(error.details?.fields).toContain('resourceId');
      });
    });

    describe('unknown ids and other organisations', () => {
      it('answers 404 RESOURCE_NOT_FOUND for an unknown resource', async () => {
        await refused(post(acme.adminToken, '/api/bookings', { resourceId: randomUUID(), ...slot(9, 10) }), 404, 'RESOURCE_NOT_FOUND');
      });

      it('answers 404 USER_NOT_FOUND for an unknown user', async () => {
        const desk = await createResource(acme);
        await refused(
          post(acme.adminToken, '/api/bookings', { resourceId: desk.id, userId: randomUUID(), ...slot(9, 10) }),
          404,
          'USER_NOT_FOUND',
        );
      });

      it("treats another organisation's resource, user and booking as unknown (404)", async () => {
        const acmeDesk = await createResource(acme);
        const globexDesk = await createResource(globex);
        const globexUser = await createMember(globex);
        const globexBooking = await book(globex.adminToken, { resourceId: globexDesk.id, userId: globexUser.id, ...slot(9, 10) });

        await refused(post(acme.adminToken, '/api/bookings', { resourceId: globexDesk.id, ...slot(11, 12) }), 404, 'RESOURCE_NOT_FOUND');
        await refused(
          post(acme.adminToken, '/api/bookings', { resourceId: acmeDesk.id, userId: globexUser.id, ...slot(11, 12) }),
          404,
          'USER_NOT_FOUND',
        );
        await refused(get(acme.adminToken, `/api/bookings/${globexBooking.id}`), 404, 'BOOKING_NOT_FOUND');
        await refused(del(acme.adminToken, `/api/bookings/${globexBooking.id}`), 404, 'BOOKING_NOT_FOUND');
        expect(await bookings(acme.adminToken, `?resourceId=${globexDesk.id}`)).toEqual([]);
        expect(await bookings(acme.adminToken, `?userId=${globexUser.id}`)).toEqual([]);
        expect(await bookings(acme.adminToken)).not.toContainEqual(expect.objectContaining({ id: globexBooking.id }));

        expect((await get(globex.adminToken, `/api/bookings/${globexBooking.id}`).expect(200)).body).toEqual(globexBooking);
      });
    });
  });

  // --- listing ---------------------------------------------------------------------------------

  describe('GET /api/bookings', () => {
    let alice: { user: UserView; token: string };
    let bob: { user: UserView; token: string };
    let aliceBookings: BookingBody[];
    let bobBooking: BookingBody;

    beforeAll(async () => {
      const desk = await createResource(acme);
      const room = await createResource(acme, 'room');
      alice = await signIn(acme);
      bob = await signIn(acme);
      // Made out of order, listed by start.
      const later = await book(alice.token, { resourceId: desk.id, ...slot(14, 15, 3) });
      const earlier = await book(alice.token, { resourceId: room.id, ...slot(9, 10, 3) });
      aliceBookings = [earlier, later];
      bobBooking = await book(bob.token, { resourceId: desk.id, ...slot(9, 10, 3) });
    });

    it('lists one user’s bookings for an admin with ?userId=, in start order', async () => {
      const items = await bookings(acme.adminToken, `?userId=${alice.user.id}`);
      expect(items).toEqual(aliceBookings);
      for (const item of items) {
        expect(item).toEqual({
          id: expect.any(String),
          resourceId: expect.any(String),
          userId: alice.user.id,
          bookedById: null,
          start: expect.any(String),
          end: expect.any(String),
          status: 'confirmed',
          cancelledReason: null,
          cancelledAt: null,
          createdAt: expect.any(String),
        });
      }
    });

    it('lists every booking of the organisation for an admin without a filter', async () => {
      const ids = (await bookings(acme.adminToken)).map((b) => b.id);
      expect(ids).toEqual(expect.arrayContaining([...aliceBookings.map((b) => b.id), bobBooking.id]));
      expect(ids).toHaveLength(await t.dataSource.getRepository(Booking).countBy({ organisationId: acme.organisation.id }));
    });

    it('shows non-admins only their own bookings', async () => {
      expect(await bookings(alice.token)).toEqual(aliceBookings);
      expect(await bookings(alice.token, `?userId=${alice.user.id}`)).toEqual(aliceBookings);
      expect(await bookings(bob.token)).toEqual([bobBooking]);
      expect(await bookings(bob.token, `?resourceId=${aliceBookings[1].resourceId}`)).toEqual([bobBooking]);
    });

    it("refuses a non-admin asking for someone else's bookings with 403 FORBIDDEN", async () => {
      expectError(await get(bob.token, `/api/bookings?userId=${alice.user.id}`), 403, 'FORBIDDEN');
    });

    it("hides someone else's booking from a non-admin (404) and does not let them cancel it", async () => {
      await refused(get(bob.token, `/api/bookings/${aliceBookings[0].id}`), 404, 'BOOKING_NOT_FOUND');
      await refused(del(bob.token, `/api/bookings/${aliceBookings[0].id}`), 404, 'BOOKING_NOT_FOUND');
      expect((await get(alice.token, `/api/bookings/${aliceBookings[0].id}`).expect(200)).body.status).toBe('confirmed');
    });

    it('filters by status and by period', async () => {
      const resourceId = aliceBookings[1].resourceId;
      expect(await bookings(acme.adminToken, `?resourceId=${resourceId}&status=cancelled`)).toEqual([]);
      expect(await bookings(acme.adminToken, `?resourceId=${resourceId}&from=${at(3, 10)}&to=${at(3, 14)}`)).toEqual([]);
      expect(await bookings(acme.adminToken, `?resourceId=${resourceId}&from=${at(3, 9, 30)}&to=${at(3, 14, 30)}`)).toEqual([
        bobBooking,
        aliceBookings[1],
      ]);
      expectError(await get(acme.adminToken, '/api/bookings?status=pending'), 400, 'VALIDATION_FAILED');
      expectError(await get(acme.adminToken, `/api/bookings?from=${at(3, 9).slice(0, 19)}`), 400, 'VALIDATION_FAILED');
    });
  });

  // --- cancelling ------------------------------------------------------------------------------

  describe('DELETE /api/bookings/:id', () => {
    it('cancels (204), keeps the booking as cancelled and frees the slot', async () => {
      const desk = await createResource(acme);
      const { token } = await signIn(acme);
      const booking = await book(token, { resourceId: desk.id, ...slot(9, 12) });

      const response = await del(token, `/api/bookings/${booking.id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');

      const cancelled = (await get(token, `/api/bookings/${booking.id}`).expect(200)).body;
      expect(cancelled).toEqual({ ...booking, status: 'cancelled', cancelledReason: 'cancelled_by_user', cancelledAt: expect.any(String) });
      expect(Math.abs(Date.parse(cancelled.cancelledAt) - Date.now())).toBeLessThan(MINUTE);
      expect(await bookings(token, '?status=confirmed')).toEqual([]);

      const again = await book(acme.adminToken, { resourceId: desk.id, ...slot(9, 12) });
      // Same start, so the list orders the two by id: compare them as a set.
      const listed = (await bookings(acme.adminToken, `?resourceId=${desk.id}`)).map((b) => [b.id, b.status]);
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(
        expect.arrayContaining([
          [booking.id, 'cancelled'],
          [again.id, 'confirmed'],
        ]),
      );
    });

    it("records an admin cancelling someone's booking as cancelled_by_admin", async () => {
      const desk = await createResource(acme);
      const { token } = await signIn(acme);
      const booking = await book(token, { resourceId: desk.id, ...slot(9, 12) });
      await del(acme.adminToken, `/api/bookings/${booking.id}`).expect(204);
      expect((await get(token, `/api/bookings/${booking.id}`).expect(200)).body).toMatchObject({
        status: 'cancelled',
        cancelledReason: 'cancelled_by_admin',
      });
    });

    it('lets whoever booked on behalf cancel, as cancelled_by_user', async () => {
      const desk = await createResource(acme);
      const colleague = await createMember(acme);
      const { token } = await signIn(acme, { canBookOnBehalf: true });
      const booking = await book(token, { resourceId: desk.id, userId: colleague.id, ...slot(9, 12) });
      await del(token, `/api/bookings/${booking.id}`).expect(204);
      expect((await get(acme.adminToken, `/api/bookings/${booking.id}`).expect(200)).body).toMatchObject({
        status: 'cancelled',
        cancelledReason: 'cancelled_by_user',
      });
    });

    it('refuses cancelling twice with 409 BOOKING_ALREADY_CANCELLED, leaving the first cancellation as it was', async () => {
      const desk = await createResource(acme);
      const booking = await book(acme.adminToken, { resourceId: desk.id, ...slot(9, 12) });
      await del(acme.adminToken, `/api/bookings/${booking.id}`).expect(204);
      const first = (await get(acme.adminToken, `/api/bookings/${booking.id}`).expect(200)).body;
      await refused(del(acme.adminToken, `/api/bookings/${booking.id}`), 409, 'BOOKING_ALREADY_CANCELLED');
      expect((await get(acme.adminToken, `/api/bookings/${booking.id}`).expect(200)).body).toEqual(first);
    });

    it('answers 404 BOOKING_NOT_FOUND for an unknown id', async () => {
      await refused(del(acme.adminToken, `/api/bookings/${randomUUID()}`), 404, 'BOOKING_NOT_FOUND');
      await refused(get(acme.adminToken, `/api/bookings/${randomUUID()}`), 404, 'BOOKING_NOT_FOUND');
    });
  });

  // --- user lifecycle --------------------------------------------------------------------------

  describe('when a user loses access', () => {
    /** A past booking, which the API (rightly) refuses to create, written straight to the database. */
    async function seedPastBooking(org: SeededOrganisation, resourceId: string, userId: string): Promise<string> {
      const repository = t.dataSource.getRepository(Booking);
      const id = randomUUID();
      await repository.insert(
        repository.create({
          id,
          organisationId: org.organisation.id,
          resourceId,
          userId,
          bookedById: null,
          start: new Date(Date.now() - 2 * DAY),
          end: new Date(Date.now() - 2 * DAY + 8 * HOUR),
          status: 'confirmed',
          cancelledReason: null,
          cancelledAt: null,
        }),
      );
      return id;
    }

    /** A user with a past, an under-way, a future and an already-cancelled future booking. */
    async function userWithHistory() {
      const desk = await createResource(acme);
      const { user, token } = await signIn(acme);
      const past = await seedPastBooking(acme, desk.id, user.id);
      const underWay = await book(token, { resourceId: desk.id, start: fromNow(-HOUR), end: fromNow(2 * HOUR) });
      const future = await book(token, { resourceId: desk.id, ...slot(9, 17, 2) });
      const withdrawn = await book(token, { resourceId: desk.id, ...slot(9, 17, 3) });
      await del(token, `/api/bookings/${withdrawn.id}`).expect(204);
      return { desk, user, token, past, underWay: underWay.id, future: future.id, withdrawn: withdrawn.id };
    }

    const viewOf = async (id: string): Promise<BookingBody> => (await get(acme.adminToken, `/api/bookings/${id}`).expect(200)).body;

    it('cancels future bookings on deactivation (user_deactivated) and keeps those under way or past', async () => {
      const history = await userWithHistory();
      const withdrawnBefore = await viewOf(history.withdrawn);

      await patch(acme.adminToken, `/api/users/${history.user.id}`, { active: false }).expect(200);

      expect(await viewOf(history.future)).toMatchObject({
        userId: history.user.id,
        status: 'cancelled',
        cancelledReason: 'user_deactivated',
        cancelledAt: expect.any(String),
      });
      expect(await viewOf(history.underWay)).toMatchObject({ userId: history.user.id, status: 'confirmed', cancelledReason: null });
      expect(await viewOf(history.past)).toMatchObject({ userId: history.user.id, status: 'confirmed', cancelledReason: null });
      expect(await viewOf(history.withdrawn)).toEqual(withdrawnBefore);

      // The freed slot can be booked by someone else; the one under way still blocks its slot.
      await book(acme.adminToken, { resourceId: history.desk.id, ...slot(9, 17, 2) });
      await refused(
        post(acme.adminToken, '/api/bookings', { resourceId: history.desk.id, start: fromNow(0), end: fromNow(HOUR) }),
        409,
        'BOOKING_OVERLAP',
      );
    });

    it('changes no bookings when an inactive user is updated again', async () => {
      const history = await userWithHistory();
      await patch(acme.adminToken, `/api/users/${history.user.id}`, { active: false }).expect(200);
      const after = await bookingRows({ resourceId: history.desk.id });
      await patch(acme.adminToken, `/api/users/${history.user.id}`, { displayName: 'Renamed' }).expect(200);
      expect(await bookingRows({ resourceId: history.desk.id })).toEqual(after);
    });

    it('keeps past bookings without a user and cancels future ones (user_deleted) when the user is deleted', async () => {
      const history = await userWithHistory();
      const colleague = await createMember(acme);
      await setPermissions(acme, history.user.id, { canBookOnBehalf: true });
      const madeForColleague = await book(history.token, { resourceId: history.desk.id, userId: colleague.id, ...slot(9, 17, 4) });

      await del(acme.adminToken, `/api/users/${history.user.id}`).expect(204);
      expectError(await get(acme.adminToken, `/api/users/${history.user.id}`), 404, 'USER_NOT_FOUND');

      expect(await viewOf(history.past)).toMatchObject({ userId: null, status: 'confirmed', cancelledReason: null });
      expect(await viewOf(history.underWay)).toMatchObject({ userId: null, status: 'confirmed', cancelledReason: null });
      expect(await viewOf(history.future)).toMatchObject({ userId: null, status: 'cancelled', cancelledReason: 'user_deleted' });
      expect(await viewOf(history.withdrawn)).toMatchObject({ userId: null, status: 'cancelled', cancelledReason: 'cancelled_by_user' });
      // A booking they made for someone else is that person's and stays, without its booker.
      expect(await viewOf(madeForColleague.id)).toMatchObject({ userId: colleague.id, bookedById: null, status: 'confirmed' });
      expect(await bookingRows({ userId: history.user.id })).toEqual([]);

      await book(acme.adminToken, { resourceId: history.desk.id, ...slot(9, 17, 2) });
      expectError(await del(acme.adminToken, `/api/users/${history.user.id}`), 404, 'USER_NOT_FOUND');
    });
  });

  // --- concurrency -----------------------------------------------------------------------------

  describe('concurrent booking', () => {
    it('lets exactly one of 10 concurrent requests for the same slot win; the rest get 409 BOOKING_OVERLAP', async () => {
      // A few rounds: a race that is lost only now and then must still fail this test.
      for (let round = 0; round < 3; round++) {
        const desk = await createResource(acme);
        const people = await Promise.all(Array.from({ length: 10 }, () => createMember(acme)));
        const responses = await Promise.all(
          people.map((person) =>
            post(acme.adminToken, '/api/bookings', { resourceId: desk.id, userId: person.id, ...slot(9, 17) }).then((r) => r),
          ),
        );

        const statuses = responses.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort();
        expect(statuses).toEqual(['201', ...Array(9).fill('409 BOOKING_OVERLAP')]);
        const winner = responses.find((r) => r.status === 201)!.body;
        const rows = await bookingRows({ resourceId: desk.id });
        expect(rows.map((row) => [row.id, row.status])).toEqual([[winner.id, 'confirmed']]);
        for (const loser of responses.filter((r) => r.status === 409)) expect(loser.body.details.conflictingBookingId).toBe(winner.id);
      }
    });

    it('lets exactly one of 5 concurrent cancellations of one booking succeed; the rest get 409', async () => {
      const desk = await createResource(acme);
      for (let day = 1; day <= 3; day++) {
        const booking = await book(acme.adminToken, { resourceId: desk.id, ...slot(9, 17, day) });
        const responses = await Promise.all(
          Array.from({ length: 5 }, () => del(acme.adminToken, `/api/bookings/${booking.id}`).then((r) => r)),
        );
        expect(responses.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort()).toEqual([
          '204',
          ...Array(4).fill('409 BOOKING_ALREADY_CANCELLED'),
        ]);
        expect(await bookingRows({ id: booking.id })).toEqual([
          expect.objectContaining({ status: 'cancelled', cancelledReason: 'cancelled_by_user' }),
        ]);
      }
    });

    // Each round races bookings for a user against that user losing access. Whichever wins, the
    // user must end up with no confirmed future booking, and every request must get a clean answer.
    it.each([
      ['deactivated', (userId: string) => patch(acme.adminToken, `/api/users/${userId}`, { active: false }), 200, '409 USER_INACTIVE'],
      ['deleted', (userId: string) => del(acme.adminToken, `/api/users/${userId}`), 204, '404 USER_NOT_FOUND'],
    ])('leaves no confirmed future booking for a user %s while being booked for', async (_case, loseAccess, accessStatus, refusal) => {
      for (let round = 0; round < 5; round++) {
        const desks = await Promise.all(Array.from({ length: 5 }, () => createResource(acme)));
        const user = await createMember(acme);
        const [lost, ...booked] = await Promise.all([
          loseAccess(user.id).then((r) => r),
          ...desks.map((desk) =>
            post(acme.adminToken, '/api/bookings', { resourceId: desk.id, userId: user.id, ...slot(9, 17) }).then((r) => r),
          ),
        ]);
        expect(lost.status).toBe(accessStatus);
        for (const response of booked) expect(['201', refusal]).toContain(`${response.status} ${response.body.code ?? ''}`.trim());
        const confirmed = await t.dataSource
          .getRepository(Booking)
          .find({ where: desks.map((desk) => ({ resourceId: desk.id, status: 'confirmed' as const })) });
        expect(confirmed).toEqual([]);
      }
    });

    it('does not hold up concurrent bookings of different resources', async () => {
      const desks = await Promise.all(Array.from({ length: 10 }, () => createResource(acme)));
      const responses = await Promise.all(
        desks.map((desk) => post(acme.adminToken, '/api/bookings', { resourceId: desk.id, ...slot(9, 17) }).then((r) => r)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      for (const desk of desks) expect(await bookingRows({ resourceId: desk.id, status: 'confirmed' })).toHaveLength(1);
    });
  });
});

interface BookingBody {
  id: string;
  resourceId: string;
  userId: string | null;
  bookedById: string | null;
  start: string;
  end: string;
  status: 'confirmed' | 'cancelled';
  cancelledReason: string | null;
  cancelledAt: string | null;
  createdAt: string;
}
