import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Response } from 'playwright-core';

// The browser globals used by functions run inside the page; module-local, as the test program
// compiles without the DOM library.
declare const window: { axe?: { run(context: unknown, options: object): Promise<AxeResults> } };
declare const document: unknown;

/** Debian's chromium package; CI installs it with apt-get. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a closed network: no first-run, sync, component updates or background fetches that
 * would hang or log errors. Playwright adds a fresh temporary --user-data-dir of its own per launch.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumIsInstalled = (): boolean => existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** One document the page loaded, with the JavaScript it fetched. */
export interface PageLoad {
  url: string;
  scriptBytes: number;
}

/**
 * Watches a page for what the browser tests forbid: console errors, uncaught exceptions, requests
 * that fail or answer >= 400, and more than the JS budget per document. A test that provokes a
 * failure on purpose declares it with `expectFailure` first.
 */
export class PageWatcher {
  private readonly problems: string[] = [];
  /** Aborted requests, judged when problems are read: the navigation that explains one may be reported after it. */
  private readonly aborted: { description: string; document: number }[] = [];
  readonly loads: PageLoad[] = [];
  /** How many documents had loaded when each request started. */
  private readonly documentOf = new WeakMap<Request, number>();
  private readonly expected: { urlPart: string; status: number; remaining: number }[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium also logs every >= 400 response as a console error; each one is judged below as a
      // response (a problem unless expected), so this echo of it is not counted twice.
      if (/^Failed to load resource: the server responded with a status of \d+/.test(message.text())) return;
      this.problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
    page.on('request', (request) => this.documentOf.set(request, this.loads.length));
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? 'unknown';
      const description = `request failed: ${request.method()} ${request.url()} (${error})`;
      if (error === 'net::ERR_ABORTED') this.aborted.push({ description, document: this.documentOf.get(request) ?? this.loads.length });
      else this.problems.push(description);
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.loads.push({ url: frame.url(), scriptBytes: 0 });
    });
    page.on('response', (response) => this.onResponse(response));
  }

  /**
   * What went wrong since the last call, and forgets it. Leaving a page cancels what it was still
   * fetching (a favicon, a slow list): that is the browser moving on, not a failure; an abort with
   * no later navigation is one.
   */
  takeProblems(): string[] {
    const unexplained = this.aborted.filter((abort) => this.loads.length <= abort.document).map((abort) => abort.description);
    const problems = [...this.problems.splice(0), ...unexplained];
    this.aborted.length = 0;
    return problems;
  }

  /** The next `count` responses to a URL containing `urlPart` with this status are intended. */
  expectFailure(urlPart: string, status: number, count = 1): void {
    this.expected.push({ urlPart, status, remaining: count });
  }

  private onResponse(response: Response): void {
    const request = response.request();
    if (response.status() >= 400) {
      const intended = this.expected.find(
        (entry) => entry.remaining > 0 && entry.status === response.status() && response.url().includes(entry.urlPart),
      );
      if (intended) intended.remaining -= 1;
      else {
        this.problems.push(`${request.method()} ${response.url()} answered ${response.status()}`);
      }
    }
    if (request.resourceType() === 'script') {
      // What went over the wire, from the header express sets on every static file; read before
      // the page can navigate on and take the body with it.
      const length = Number(response.headers()['content-length']);
      const load = this.loads[this.loads.length - 1];
      if (!Number.isInteger(length)) this.problems.push(`script without a Content-Length: ${response.url()}`);
      else if (load) load.scriptBytes += length;
    }
  }
}

/** Serious or critical axe-core violations on the page as it is now, described for a failure message. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol rather than added as a <script>: the app's CSP rightly
  // refuses inline scripts, and the test must not weaken it.
  const hasAxe = await page.evaluate(() => window.axe !== undefined);
  if (!hasAxe) await page.evaluate(axeCoreSource());
  const violations = await page.evaluate(async () => {
    const results = await window.axe!.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id} (${violation.help}) at ${violation.targets.join(', ')}`);
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

let axeSource: string | undefined;
function axeCoreSource(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** A context with the clipboard granted (the copy buttons are tested by reading it back) and no HTTP cache. */
export async function newContext(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  return context;
}

/**
 * A page with its watcher, and the HTTP cache off: every document load fetches its scripts again
 * (200 with a length, never a 304 revalidation), so each page's JavaScript is counted in full.
 */
export async function openWatchedPage(context: BrowserContext): Promise<{ page: Page; watcher: PageWatcher }> {
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { page, watcher: new PageWatcher(page) };
}
