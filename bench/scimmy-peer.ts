/**
 * The benchmark's peer: scimmy + scimmy-routers on Express, the only full JavaScript SCIM library, with an in-memory
 * store written as scimmy's documentation shows (Resources.declare(User) with ingress/egress/degress handlers over a
 * Map). Started by bench/run.ts as a child process on BENCH_PEER_PORT and seeded with the same BENCH_PEER_USERS users
 * as our server (bench/lib/entra-users.ts), straight into the Map. Prints "ready" when it listens.
 *
 * Seeding stores each user as the JSON its ingress handler would have stored. Running 100k bodies through
 * scimmy's own `new Schemas.User(body, "in")` would take about 80 s (0.8 ms each here), so the seeding does not.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { benchUsers } from './lib/entra-users';

type StoredUser = Record<string, unknown> & { id: string; userName: string };

const port = Number(process.env.BENCH_PEER_PORT);
const count = Number(process.env.BENCH_PEER_USERS ?? 0);
const token = process.env.BENCH_PEER_TOKEN ?? '';
const store = new Map<string, StoredUser>();

function stored(user: Record<string, unknown>, id: string): StoredUser {
  const now = new Date().toISOString();
  return { ...user, id, userName: String(user.userName), meta: { resourceType: 'User', created: now, lastModified: now } };
}

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource, instance) => {
    const userName = String((instance as { userName?: unknown }).userName ?? '');
    const clash = [...store.values()].find((user) => user.userName.toLowerCase() === userName.toLowerCase() && user.id !== resource.id);
    if (clash) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${userName} is taken`);
    if (resource.id && !store.has(resource.id)) throw new SCIMMY.Types.Error(404, null!, `User ${resource.id} not found`);
    const user = stored(JSON.parse(JSON.stringify(instance)) as Record<string, unknown>, resource.id ?? randomUUID());
    store.set(user.id, user);
    return user;
  })
  .egress((resource) => {
    if (resource.id) {
      const user = store.get(resource.id);
      if (!user) throw new SCIMMY.Types.Error(404, null!, `User ${resource.id} not found`);
      return user;
    }
    const users = [...store.values()];
    return resource.filter ? resource.filter.match(users) : users;
  })
  .degress((resource) => {
    if (!resource.id || !store.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `User ${resource.id} not found`);
  });
SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);

for (const { body } of benchUsers(count)) {
  const { meta: _ignored, ...user } = body;
  const id = randomUUID();
  store.set(id, stored(user, id));
}

const app = express();
app.use(
  '/scim/v2',
  new SCIMMYRouters({
    type: 'bearer',
    handler: (request) => {
      if (request.header('Authorization') !== `Bearer ${token}`) throw new Error('Authorization not detected!');
      return 'bench';
    },
    context: () => undefined,
  }),
);
app.get('/health', (_request, response) => {
  response.json({ status: 'ok', users: store.size });
});
app.listen(port, '127.0.0.1', () => console.log('ready'));
