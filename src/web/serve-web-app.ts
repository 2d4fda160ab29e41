import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { HelmetOptions } from 'helmet';

/** Where the admin web app is served: static pages calling the admin JSON API. */
export const WEB_APP_PREFIX = '/admin';

/**
 * The pages, styles and ES modules as written: no build step. `nest build` copies this folder to
 * dist/web/public (nest-cli.json "assets"), so the same path works from src (tests) and dist.
 */
export const WEB_APP_ROOT = join(__dirname, 'public');

/**
 * Helmet's defaults, tightened for the pages: scripts, styles, fonts and fetches from this origin
 * only; no inline script or style; no framing at all. The pages load nothing from elsewhere (no CDN).
 */
export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'font-src': ["'self'"],
      'img-src': ["'self'"],
      'connect-src': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
};

/**
 * Serves the admin web app under /admin with Express's static middleware: `/admin/users` is
 * users.html, `/admin/` the sign-in page. Static files register no Nest routes, and anything not
 * found falls through to Nest's JSON 404.
 */
export function serveWebApp(app: NestExpressApplication): void {
  app.use(redirectRootToWebApp);
  app.useStaticAssets(WEB_APP_ROOT, { prefix: WEB_APP_PREFIX, extensions: ['html'], index: 'index.html', fallthrough: true });
}

/** `GET /` is where people type the server's address: send them to the sign-in page. */
function redirectRootToWebApp(request: Request, response: Response, next: NextFunction): void {
  if ((request.method === 'GET' || request.method === 'HEAD') && request.path === '/') return response.redirect(302, `${WEB_APP_PREFIX}/`);
  next();
}
