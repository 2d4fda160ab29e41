import request from 'supertest';
import { ScimCredentialsService } from '../../../src/scim/auth/scim-credentials.service';
import type { SeededOrganisation, TestApp } from './test-app';

export interface ScimTenant extends SeededOrganisation {
  token: string;
  /** The tenant URL path on the test server, e.g. /scim/v2/acme. */
  base: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
}

/** An organisation with SCIM enabled, and a client that speaks to its tenant URL as Entra does. */
export async function createScimTenant(t: TestApp, name: string): Promise<ScimTenant> {
  const seeded = await t.createOrganisation(name);
  const { token } = await t.app.get(ScimCredentialsService).enable(seeded.organisation.id);
  const base = `/scim/v2/${seeded.organisation.slug}`;
  const send = (call: request.Test, body?: unknown) =>
    (body === undefined ? call : call.set('Content-Type', 'application/scim+json').send(JSON.stringify(body))).set(
      'Authorization',
      `Bearer ${token}`,
    );
  return {
    ...seeded,
    token,
    base,
    get: (path) => send(t.http().get(`${base}${path}`)),
    post: (path, body) => send(t.http().post(`${base}${path}`), body),
    put: (path, body) => send(t.http().put(`${base}${path}`), body),
    delete: (path) => send(t.http().delete(`${base}${path}`)),
  };
}
