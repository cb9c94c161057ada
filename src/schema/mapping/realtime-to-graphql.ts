/**
 * Real-time payloads → GraphQL parents. Balances and alerts have no object of their own in the
 * query API, so their wrappers are built here; transactions, receipts and consents reuse the
 * query mappings, so an object reads the same (same IDs) whether it came by query or by event.
 */
import type { Balance } from "../../domain/model.js";
import type { LinkRef } from "../../loaders/link-loaders.js";
import type { FraudAlert as DomainFraudAlert } from "../../domain/bank-event.js";
import { encodeGlobalId } from "../global-id.js";
import { BalanceUpdate } from "../types/balance-update.type.js";
import { FraudAlert } from "../types/fraud-alert.type.js";
import { transactionGlobalId } from "./to-graphql.js";

export function toBalanceUpdate(link: LinkRef, balance: Balance): BalanceUpdate {
  return Object.assign(new BalanceUpdate(), {
    accountId: encodeGlobalId("Account", link.id, balance.accountId),
    balance,
    linkId: link.id,
    institutionId: link.institutionId,
  });
}

export function toFraudAlert(link: LinkRef, alert: DomainFraudAlert): FraudAlert {
  return Object.assign(new FraudAlert(), {
    // Same shape as a global ID (so it names its link), though node(id:) does not fetch alerts.
    id: Buffer.from(JSON.stringify(["FraudAlert", link.id, alert.id])).toString("base64url"),
    accountId: encodeGlobalId("Account", link.id, alert.accountId),
    transactionId: alert.transactionId ? transactionGlobalId(link, alert.accountId, alert.transactionId) : null,
    severity: alert.severity,
    reason: alert.reason,
    amount: alert.amount,
    merchantName: alert.merchantName,
    at: alert.at,
    linkId: link.id,
    institutionId: link.institutionId,
  });
}
