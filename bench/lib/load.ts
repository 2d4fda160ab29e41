/**
 * One measured scenario: autocannon at a fixed concurrency for a fixed time, with our own exact latency percentiles
 * (autocannon's summary has no p95) and every non-2xx or wrong answer counted, with the first few bodies kept.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

/** A request of a scenario; `check` looks at a 2xx answer and returns what is wrong with it, if anything. */
export interface ScenarioRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Built per request; context is per connection and lives for one pass over the scenario's requests. */
  build(context: Record<string, unknown>): { path: string; body?: unknown };
  check?(body: string, context: Record<string, unknown>): string | undefined;
  /** Called with each answer, after the check, e.g. to give back a resource the request borrowed. */
  done?(context: Record<string, unknown>): void;
}

export interface Scenario {
  name: string;
  requests: ScenarioRequest[];
  /** Stop after this many requests (e.g. DELETE of each seeded user once), or at the duration, whichever is first. */
  amount?: number;
  timeoutSeconds?: number;
  /**
   * Called after an unmeasured warm-up, to put back what requests cut off mid-sequence left behind (e.g. members added
   * by a PATCH whose removing PATCH never ran), so that the measured load starts from the same state.
   */
  afterWarmUp?(): Promise<void>;
}

export interface Measurement {
  name: string;
  requests: number;
  seconds: number;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  non2xx: number;
  /** 2xx answers whose body was not what the request must return (e.g. a lookup that found nothing). */
  wrong: number;
  /** Socket errors and timeouts. */
  errors: number;
  examples: string[];
}

/** Requests a run got wrong: non-2xx answers, 2xx answers with the wrong body, and socket errors. Any fails the bench. */
export const failedRequests = (result: Pick<Measurement, 'non2xx' | 'wrong' | 'errors'>): number =>
  result.non2xx + result.wrong + result.errors;

export interface LoadOptions {
  baseUrl: string;
  token?: string;
  connections: number;
  durationSeconds: number;
}

const MAX_EXAMPLES = 5;

export async function measure(scenario: Scenario, options: LoadOptions): Promise<Measurement> {
  const latencies: number[] = [];
  const examples: string[] = [];
  let non2xx = 0;
  let wrong = 0;
  const note = (text: string) => {
    if (examples.length < MAX_EXAMPLES) examples.push(text.slice(0, 500));
  };
  const headers: Record<string, string> = { 'content-type': 'application/scim+json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  const requests = scenario.requests.map((request) => ({
    method: request.method ?? 'GET',
    headers,
    setupRequest: (req: autocannon.Request, context: Record<string, unknown>) => {
      const { path, body } = request.build(context);
      return { ...req, path, body: body === undefined ? undefined : JSON.stringify(body) };
    },
    onResponse: (status: number, body: string, context: Record<string, unknown>) => {
      if (status < 200 || status > 299) {
        non2xx++;
        note(`${request.method ?? 'GET'} → ${status}: ${body}`);
      } else {
        const problem = request.check?.(body, context);
        if (problem) {
          wrong++;
          note(problem);
        }
      }
      request.done?.(context);
    },
  }));

  const started = performance.now();
  let stopAtDuration: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        amount: scenario.amount,
        timeout: scenario.timeoutSeconds ?? 30,
        requests: requests as unknown as autocannon.Request[],
      },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    // autocannon ignores the duration when given an amount; the duration still bounds the scenario.
    if (scenario.amount !== undefined) stopAtDuration = setTimeout(() => instance.stop(), options.durationSeconds * 1000);
  });
  clearTimeout(stopAtDuration);
  const seconds = (performance.now() - started) / 1000;

  latencies.sort((left, right) => left - right);
  const errors = result.errors + result.timeouts;
  if (errors > 0) note(`${result.errors} socket errors, ${result.timeouts} timeouts`);
  return {
    name: scenario.name,
    requests: latencies.length,
    seconds: round(seconds, 2),
    rps: round(latencies.length / seconds, 1),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    non2xx,
    wrong,
    errors,
    examples,
  };
}

/**
 * The scenario at the same concurrency for `seconds`, unmeasured, before it is measured: a server in service has long
 * compiled its code paths (JIT), grown its heap and opened its pool connections, and a scenario measured from cold
 * spends its first seconds on that (a POST cost 3.1-3.6 ms of server CPU in its first 5 s and 2.0-2.2 ms from the
 * tenth second on; README, Performance). A scenario with an amount (DELETE, which uses up its users) warms up on a tenth of it.
 */
export async function warmUp(scenario: Scenario, options: LoadOptions, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  const amount = scenario.amount === undefined ? undefined : Math.floor(scenario.amount / 10);
  if (amount === 0) return;
  await measure({ ...scenario, amount }, { ...options, durationSeconds: seconds });
  await scenario.afterWarmUp?.();
}

function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)], 2);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The `totalResults` of a ListResponse body, read without parsing a whole page. */
export function totalResultsOf(body: string): number | undefined {
  const match = /"totalResults"\s*:\s*(\d+)/.exec(body);
  return match ? Number(match[1]) : undefined;
}

/** How many resources a ListResponse body carries, counted by their `id`s' owners' userName keys. */
export function resourceCountOf(body: string): number {
  return body.match(/"userName"\s*:/g)?.length ?? 0;
}
