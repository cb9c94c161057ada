/**
 * The words of /connections that are not the disclosure's (scopes and purposes come from
 * src/consent/consent-wording.ts, the one table): what a status, an event and its actor mean to the person.
 */
import { ConsentActor, ConsentStatus, type Scope } from "../../domain/consent.js";
import { AccountType } from "../../domain/model.js";
import type { ConsentEvent } from "../../store/consent-event-repository.js";
import { SCOPE_WORDING } from "../../consent/consent-wording.js";

export const STATUS_WORDING: Readonly<Record<ConsentStatus, string>> = {
  [ConsentStatus.AUTHORIZED]: "Sharing",
  [ConsentStatus.AWAITING_AUTHORIZATION]: "Waiting for your approval",
  [ConsentStatus.REJECTED]: "You declined",
  [ConsentStatus.REVOKED]: "Stopped",
  [ConsentStatus.EXPIRED]: "Ended",
};

/**
 * What happened, by event type. Keyed by string, not the enum: a newer event type (RENEWED) reads
 * sensibly here before and after it exists, and an unknown one falls back to its own name.
 */
const EVENT_WORDING: Readonly<Record<string, string>> = {
  REQUESTED: "Asked for access",
  AUTHORIZED: "Allowed",
  REJECTED: "Declined",
  RENEWED: "Renewed",
  REVOKED: "Stopped",
  EXPIRED: "Ended on its end date",
};

export const ACCOUNT_TYPE_WORDING: Readonly<Record<AccountType, string>> = {
  [AccountType.CHECKING]: "Checking",
  [AccountType.SAVINGS]: "Savings",
  [AccountType.CREDIT_CARD]: "Credit card",
  [AccountType.CHARGE_CARD]: "Charge card",
  [AccountType.WALLET]: "Wallet",
};

/** "Allowed", "Stopped" … for an event. */
export const eventWords = (event: Pick<ConsentEvent, "type">): string => EVENT_WORDING[event.type] ?? event.type.toLowerCase().replace(/_/g, " ");

/**
 * Who did it, in words: "you", "the app", "your bank" (a system change the bank caused: its
 * reason names the bank), or "Bankgraph".
 */
export function actorWords(event: Pick<ConsentEvent, "actor" | "detail">): string {
  switch (event.actor) {
    case ConsentActor.USER:
      return "you";
    case ConsentActor.CLIENT:
      return "the app";
    case ConsentActor.SYSTEM: {
      const reason = event.detail["reason"];
      return typeof reason === "string" && /bank/i.test(reason) ? "your bank" : "Bankgraph";
    }
  }
}

/** Why, when the event says more than its type: unlinking, a newer permission, the bank. */
export function eventNote(event: Pick<ConsentEvent, "detail">): string {
  const { reason, supersededBy } = event.detail;
  if (reason === "LINK_REVOKED") return "You unlinked the bank.";
  if (typeof supersededBy === "string") return "A newer permission for the same app and bank replaced it.";
  if (typeof reason === "string" && /bank/i.test(reason)) return "Access was cut at your bank.";
  return "";
}

/** A scope's short label ("Account balances"); an unknown scope by its own name. */
export const scopeLabel = (scope: string): string => SCOPE_WORDING[scope as Scope]?.label ?? scope;

/** "a, b and c" */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The consequence of stopping, in the person's words: "which accounts you have and account balances". */
export const scopesInWords = (scopes: readonly string[]): string => listInWords(scopes.map((s) => scopeLabel(s).toLowerCase()));
