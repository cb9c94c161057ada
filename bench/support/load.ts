/**
 * Drives HTTP load with autocannon (programmatic API) and measures latency from every response
 * autocannon reports, in fractional milliseconds (autocannon's own histogram rounds to whole ms,
 * too coarse for a 3 ms query). Only 2xx responses that pass `verify` count as served.
 */
import autocannon from "autocannon";
import { summarizeLatencies, round, type LatencySummary } from "./stats.js";

/** One load run. Give `duration` (seconds) or `amount` (requests). */
export interface LoadOptions {
  url: string;
  /** JSON request body (POST). */
  body: string;
  headers?: Record<string, string>;
  /** Headers of connection i are `connectionHeaders[i % length]` (e.g. one user per connection). */
  connectionHeaders?: ReadonlyArray<Record<string, string>>;
  connections: number;
  duration?: number;
  amount?: number;
  /** A response body this rejects counts as a mismatch (say, a GraphQL error). Default: accept all. */
  verify?: (body: string) => boolean;
}

/** What one load run measured. */
export interface LoadResult {
  connections: number;
  /** Successful (2xx, verified) responses. */
  served: number;
  /** Served responses per second. */
  rps: number;
  latency: LatencySummary;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx responses that `verify` rejected. */
  mismatches: number;
  /** The start of the first rejected body, to say what went wrong. */
  firstMismatch?: string;
  durationSeconds: number;
}

/** Runs autocannon against `url` and summarizes it. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const samples: number[] = [];
  const headers = { "content-type": "application/json", ...options.headers };
  const perConnection = options.connectionHeaders;
  let connection = 0;
  let firstMismatch: string | undefined;
  const verify = options.verify;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
        headers,
        body: options.body,
        ...(perConnection?.length ? { setupClient: (client) => client.setHeaders({ ...headers, ...perConnection[connection++ % perConnection.length] }) } : {}),
        timeout: 30,
        ...(verify
          ? {
              verifyBody: (body: string) => {
                const ok = verify(body);
                if (!ok) firstMismatch ??= body.slice(0, 400);
                return ok;
              },
            }
          : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const served = Math.max(0, samples.length - result.mismatches);
        resolve({
          connections: options.connections,
          served,
          rps: round(served / result.duration, 1),
          latency: summarizeLatencies(samples),
          errors: result.errors,
          non2xx: result.non2xx,
          mismatches: result.mismatches,
          ...(firstMismatch ? { firstMismatch } : {}),
          durationSeconds: result.duration,
        });
      },
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTimeMs);
    });
  });
}

/**
 * Throws when a run had failures (a ratio over failed requests would flatter the failing side),
 * or served nothing at all unless `allowEmpty` (a short warm-up on a slow machine may not).
 */
export function assertClean(label: string, result: LoadResult, allowEmpty = false): LoadResult {
  const failed = result.errors + result.non2xx + result.mismatches;
  if (failed > 0) {
    const sample = result.firstMismatch ? `; first bad body: ${result.firstMismatch}` : "";
    throw new Error(
      `${label}: ${failed} failed responses (errors ${result.errors}, non-2xx ${result.non2xx}, bad bodies ${result.mismatches}) of ${result.served + failed}${sample}`,
    );
  }
  if (result.served === 0 && !allowEmpty) {
    throw new Error(
      `${label}: no response within ${result.durationSeconds} s at ${result.connections} connections — the machine is too busy for this profile, or the server hangs`,
    );
  }
  return result;
}
