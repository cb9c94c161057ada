/**
 * Each bank's recent call outcomes → UP / DEGRADED / DOWN for `institutions { status }`.
 * Failures that are the user's (bad password, expired login) say nothing about the bank's health.
 */
import type { BankCallOutcome } from "./bank-http.js";
import type { ProviderFailure } from "./provider-error.js";

export enum InstitutionStatus {
  UP = "UP",
  DEGRADED = "DEGRADED",
  DOWN = "DOWN",
}

const WINDOW = 20;
const USER_FAILURES: ReadonlySet<ProviderFailure> = new Set(["LOGIN_REQUIRED", "INVALID_CREDENTIALS"]);

export class InstitutionHealth {
  private readonly recent = new Map<string, boolean[]>();

  observe = (outcome: BankCallOutcome): void => {
    if (outcome.failure && USER_FAILURES.has(outcome.failure)) return;
    const list = this.recent.get(outcome.institutionId) ?? [];
    list.push(outcome.failure === undefined);
    if (list.length > WINDOW) list.shift();
    this.recent.set(outcome.institutionId, list);
  };

  /** DOWN after 3 failures in a row, DEGRADED when any of the last 20 calls failed, else UP. */
  status(institutionId: string): InstitutionStatus {
    const list = this.recent.get(institutionId) ?? [];
    const lastThree = list.slice(-3);
    if (lastThree.length === 3 && lastThree.every((ok) => !ok)) return InstitutionStatus.DOWN;
    return list.some((ok) => !ok) ? InstitutionStatus.DEGRADED : InstitutionStatus.UP;
  }
}
