/**
 * Prometheus metrics (prom-client), one registry per gateway instance so that several gateways in
 * one process (tests) never mix their series. Served at `GET /metrics`.
 *
 * Labels are bounded: institution IDs come from the registry, error codes from the `ErrorCode`
 * enum, and operation names — which clients choose — are capped (see {@link OperationLabels}).
 * No label ever carries a user, a token or an account.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CacheLookup } from "../cache/upstream-cache.js";
import type { BankCallOutcome } from "../providers/bank-http.js";
import type { ProviderFailure } from "../providers/provider-error.js";
import type { CircuitStatus } from "../providers/call-policy.js";
import type { BankCallRejection } from "../resilience/bank-call-policy.js";

/** `bankgraph_bank_circuit_state` values. */
export const CIRCUIT_GAUGE: Record<CircuitStatus, number> = { closed: 0, "half-open": 1, open: 2 };

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Operation names as label values: the first `limit` distinct names, then "(other)". */
export class OperationLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 200) {}

  label(operationName: string | null | undefined): string {
    if (!operationName) return "(anonymous)";
    if (this.seen.has(operationName)) return operationName;
    if (this.seen.size >= this.limit) return "(other)";
    this.seen.add(operationName);
    return operationName;
  }
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new OperationLabels();
  private readonly cacheTally = new Map<string, { served: number; total: number }>();
  private circuits: () => Iterable<readonly [string, CircuitStatus]> = () => [];
  private cacheSize: () => number = () => 0;

  private readonly requestDuration = new Histogram({
    name: "bankgraph_graphql_request_duration_seconds",
    help: "GraphQL requests at /graphql: time to the last byte, by operation name and HTTP status.",
    labelNames: ["operation", "status"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly errors = new Counter({
    name: "bankgraph_graphql_errors_total",
    help: "Errors in GraphQL responses, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  private readonly bankCallDuration = new Histogram({
    name: "bankgraph_bank_call_duration_seconds",
    help: "HTTP attempts to a bank (each retry counts), by institution and outcome (ok or the failure).",
    labelNames: ["institution", "outcome"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly bankRetries = new Counter({
    name: "bankgraph_bank_call_retries_total",
    help: "Idempotent bank reads sent again after a transient failure, by institution and the failure.",
    labelNames: ["institution", "failure"] as const,
    registers: [this.registry],
  });

  private readonly bankTokenRefreshes = new Counter({
    name: "bankgraph_bank_token_refreshes_total",
    help: "Bank access-token refreshes by outcome: REFRESHED (the bank issued new tokens), REUSED (another request or instance had just refreshed), LOGIN_REQUIRED (the bank refused)",
    labelNames: ["institution", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly bankRejections = new Counter({
    name: "bankgraph_bank_calls_rejected_total",
    help: "Bank calls refused without reaching the bank: circuit-open or bulkhead-full.",
    labelNames: ["institution", "reason"] as const,
    registers: [this.registry],
  });

  private readonly cacheLookups = new Counter({
    name: "bankgraph_upstream_cache_lookups_total",
    help: "Upstream cache lookups by resource kind and result: hit (stored answer), coalesced (joined a call in flight), miss (bank called).",
    labelNames: ["kind", "result"] as const,
    registers: [this.registry],
  });

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- inside collect(), `this` is the gauge
    const metrics = this;
    new Gauge({
      name: "bankgraph_bank_circuit_state",
      help: "Circuit breaker per institution: 0 closed, 1 half-open, 2 open.",
      labelNames: ["institution"] as const,
      registers: [this.registry],
      collect() {
        for (const [institution, status] of metrics.circuits()) this.set({ institution }, CIRCUIT_GAUGE[status]);
      },
    });
    new Gauge({
      name: "bankgraph_upstream_cache_hit_ratio",
      help: "Share of upstream cache lookups served without a new bank call (hit or coalesced), by resource kind, since start.",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      collect() {
        for (const [kind, { served, total }] of metrics.cacheTally) this.set({ kind }, total === 0 ? 0 : served / total);
      },
    });
    new Gauge({
      name: "bankgraph_upstream_cache_entries",
      help: "Answers currently kept by this instance's upstream cache.",
      registers: [this.registry],
      collect() {
        this.set(metrics.cacheSize());
      },
    });
    // process_* and nodejs_* under their standard names, so stock dashboards work.
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the circuit gauge reads each institution's breaker state at scrape time. */
  watchCircuits(circuits: () => Iterable<readonly [string, CircuitStatus]>): void {
    this.circuits = circuits;
  }

  /** Where the entries gauge reads the cache's size at scrape time. */
  watchCacheSize(size: () => number): void {
    this.cacheSize = size;
  }

  request(operationName: string | null | undefined, status: number, seconds: number): void {
    this.requestDuration.observe({ operation: this.operations.label(operationName), status: String(status) }, seconds);
  }

  error(code: string): void {
    this.errors.inc({ code });
  }

  bankCall = (outcome: BankCallOutcome): void => {
    this.bankCallDuration.observe({ institution: outcome.institutionId, outcome: outcome.failure ?? "ok" }, outcome.durationMs / 1000);
  };

  bankRetry = (institutionId: string, failure: ProviderFailure | "UNKNOWN"): void => {
    this.bankRetries.inc({ institution: institutionId, failure });
  };

  bankTokenRefresh = (institutionId: string, outcome: "REFRESHED" | "REUSED" | "LOGIN_REQUIRED"): void => {
    this.bankTokenRefreshes.inc({ institution: institutionId, outcome });
  };

  bankRejected = (institutionId: string, reason: BankCallRejection): void => {
    this.bankRejections.inc({ institution: institutionId, reason });
  };

  cacheLookup = (kind: string, lookup: CacheLookup): void => {
    this.cacheLookups.inc({ kind, result: lookup });
    const tally = this.cacheTally.get(kind) ?? { served: 0, total: 0 };
    tally.total++;
    if (lookup !== "miss") tally.served++;
    this.cacheTally.set(kind, tally);
  };

  /** The exposition text and its content type, for `GET /metrics`. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
