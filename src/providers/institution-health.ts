/**
 * Each bank's health for `institutions { status }`: its circuit breaker first (open → DOWN,
 * probing → DEGRADED), then its recent call outcomes (any failure among the last 20 → DEGRADED).
 * Failures that are the user's (bad password, expired login) say nothing about the bank's health.
 */
import type { BankCallOutcome } from "./bank-http.js";
import type { CircuitStatus } from "./call-policy.js";
import type { ProviderFailure } from "./provider-error.js";

export enum InstitutionStatus {
  UP = "UP",
  DEGRADED = "DEGRADED",
  DOWN = "DOWN",
}

const WINDOW = 20;
const USER_FAILURES: ReadonlySet<ProviderFailure> = new Set(["LOGIN_REQUIRED"]);

export class InstitutionHealth {
  private readonly recent = new Map<string, boolean[]>();

  /** @param circuit the bank's breaker state (default: always closed, i.e. judged by outcomes only). */
  constructor(private readonly circuit: (institutionId: string) => CircuitStatus = () => "closed") {}

  observe = (outcome: BankCallOutcome): void => {
    if (outcome.failure && USER_FAILURES.has(outcome.failure)) return;
    const list = this.recent.get(outcome.institutionId) ?? [];
    list.push(outcome.failure === undefined);
    if (list.length > WINDOW) list.shift();
    this.recent.set(outcome.institutionId, list);
  };

  /** DOWN while the circuit is open, DEGRADED while it probes or when any of the last 20 calls failed, else UP. */
  status(institutionId: string): InstitutionStatus {
    switch (this.circuit(institutionId)) {
      case "open":
        return InstitutionStatus.DOWN;
      case "half-open":
        return InstitutionStatus.DEGRADED;
      case "closed":
        break;
    }
    const list = this.recent.get(institutionId) ?? [];
    return list.some((ok) => !ok) ? InstitutionStatus.DEGRADED : InstitutionStatus.UP;
  }
}
