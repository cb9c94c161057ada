/**
 * Consent for one bank event about to be delivered to a subscriber, decided by the same `decide`
 * as every read. What an event needs is not restated anywhere: it is read from the
 * `@requiresScopes` directives of the subscription field and of its payload type in the built
 * schema — the very requirements the payload's guarded fields are checked against. An event about
 * a transaction or receipt dated before the consent's history window is withheld, as the same row
 * would be on a read.
 */
import { getDirective } from "@graphql-tools/utils";
import { getNamedType, type GraphQLResolveInfo } from "graphql";
import type { BankEvent } from "../domain/bank-event.js";
import type { EffectiveConsent } from "./consent-service.js";
import { decide, withinWindow, type Grant, type ScopeRequirement } from "./consent-view.js";
import { REQUIRES_SCOPES } from "./requires-scopes.js";

/**
 * The requirements a subscription's payload carries: the subscription field's own `@requiresScopes`
 * and its payload type's. Throws when there is none — a bank event must never be delivered unguarded.
 */
export function payloadRequirements(info: Pick<GraphQLResolveInfo, "schema" | "parentType" | "fieldName" | "returnType">): ScopeRequirement[] {
  const field = info.parentType.getFields()[info.fieldName];
  const payload = getNamedType(info.returnType);
  const requirements = [
    field && getDirective(info.schema, field, REQUIRES_SCOPES)?.[0]?.["scopes"],
    getDirective(info.schema, payload, REQUIRES_SCOPES)?.[0]?.["scopes"],
  ].filter((r): r is ScopeRequirement => Array.isArray(r));
  if (requirements.length === 0) {
    throw new Error(`${info.parentType.name}.${info.fieldName} delivers bank events but neither it nor ${payload.name} carries @${REQUIRES_SCOPES}`);
  }
  return requirements;
}

/**
 * The grants under which `event` may be delivered (one per requirement, all granted, the event
 * inside every grant's window), or undefined when it must be withheld.
 */
export function decideDelivery(
  effective: EffectiveConsent | undefined,
  requirements: readonly ScopeRequirement[],
  event: BankEvent,
  now: Date,
): Grant[] | undefined {
  const grants: Grant[] = [];
  const dated = eventDate(event);
  for (const requirement of requirements) {
    const decision = decide(effective, requirement, now);
    if (!decision.granted) return undefined;
    if (dated !== undefined && !withinWindow(decision.window, dated)) return undefined;
    grants.push(decision);
  }
  return grants;
}

/** The date the event's row is filed under, for the history window; undefined = not a dated row. */
function eventDate(event: BankEvent): string | Date | undefined {
  switch (event.kind) {
    case "TRANSACTION_PENDING":
    case "TRANSACTION_POSTED":
      return event.transaction.date;
    case "RECEIPT_UPDATED":
      return event.receipt.issuedAt;
    case "BALANCE_CHANGED":
    case "FRAUD_ALERT":
    case "PAYMENT_STATUS_CHANGED": // never delivered as bank data (not in the person's log)
      return undefined;
  }
}
