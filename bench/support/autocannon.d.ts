/**
 * The slice of autocannon's programmatic API the bench uses (the package ships no types).
 * See node_modules/autocannon/README.md, "autocannon(opts[, cb])" and "Results object".
 */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Stop after this many requests (overrides duration). */
    amount?: number;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    /** Responses whose body this rejects count as `mismatches`. */
    verifyBody?: (body: string) => boolean;
    /** Called once per connection, e.g. to give it headers of its own. */
    setupClient?: (client: AutocannonClient) => void;
  }

  interface AutocannonClient {
    setHeaders(headers: Record<string, string>): void;
  }

  interface Histogram {
    average: number;
    mean: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    latency: Histogram;
    requests: Histogram & { total: number };
  }

  interface AutocannonInstance extends EventEmitter {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions, callback: (error: Error | null, result: AutocannonResult) => void): AutocannonInstance;

  export default autocannon;
  export type { AutocannonOptions, AutocannonResult, AutocannonInstance, AutocannonClient };
}
