import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../e2e/harness/test-app';
import { WEB_APP_ROOT } from '../../src/web/serve-web-app';

/**
 * How the monolith serves the admin web app, over HTTP only (no browser needed): where the pages
 * live, the security headers they are held to, and that everything they load comes from this app.
 */
describe('admin web app: serving', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('web-app-serving');
  });
  afterAll(() => t.close());

  const pages = readdirSync(WEB_APP_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => ({ file, path: `/admin/${file === 'index.html' ? '' : file.replace(/\.html$/, '')}` }));

  it('sends the bare address to the sign-in page', async () => {
    const response = await t.http().get('/').expect(302);
    expect(response.headers.location).toBe('/admin/');
    await t.http().get('/admin').expect(301).expect('Location', '/admin/');
  });

  it('serves every page with a strict CSP: same-origin scripts and styles, nothing inline, no framing', async () => {
    expect(pages.map((page) => page.path).sort()).toEqual(['/admin/', '/admin/integrations/scim', '/admin/user', '/admin/users']);
    for (const page of pages) {
      const response = await t
        .http()
        .get(page.path)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      const directives = Object.fromEntries(
        String(response.headers['content-security-policy'])
          .split(';')
          .map((directive) => directive.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      expect(directives).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
      });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('has pages that load only this app’s own files, with no inline script or style for the CSP to block', () => {
    for (const { file } of pages) {
      const html = readFileSync(join(WEB_APP_ROOT, file), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect({ file, scripts: scripts.length }).toEqual({ file, scripts: 1 });
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/type="module" src="\/admin\/assets\/[a-z-]+\.js"/);
        expect(body.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|https?:\/\//);
      for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        expect({ file, url }).toEqual({ file, url: expect.stringMatching(/^\/admin\/|^#/) });
      }
    }
  });

  it('serves every asset the pages import, and answers a missing file with the API’s JSON 404', async () => {
    const assets = readdirSync(join(WEB_APP_ROOT, 'assets'));
    for (const asset of assets) {
      const response = await t.http().get(`/admin/assets/${asset}`).expect(200);
      if (asset.endsWith('.js')) {
        expect(response.headers['content-type']).toMatch(/javascript/);
        // Every relative import resolves to a file that exists: no build step means no bundler to catch it.
        const source = readFileSync(join(WEB_APP_ROOT, 'assets', asset), 'utf8');
        for (const [, imported] of source.matchAll(/from '\.\/([^']+)'/g)) expect(assets).toContain(imported);
      }
    }
    const missing = await t.http().get('/admin/assets/nothing-here.js').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const notStatic = await t.http().post('/admin/users').send({}).expect(404);
    expect(notStatic.body.code).toBe('NOT_FOUND');
  });
});
