/**
 * Domain objects (bank-local IDs) → GraphQL parents (global IDs plus the link they came through,
 * which the consent guard reads). The only place global IDs of bank objects are minted.
 */
import type * as domain from "../../domain/model.js";
import type { LinkRef } from "../../loaders/link-loaders.js";
import { encodeGlobalId } from "../global-id.js";
import type { Consent as StoredConsent } from "../../domain/consent.js";
import type { LinkStatus } from "../../domain/link.js";
import { Account } from "../types/account.type.js";
import { Consent } from "../types/consent.type.js";
import { Link } from "../types/link.type.js";
import { Receipt } from "../types/receipt.type.js";
import { Transaction, type TransactionConnection } from "../types/transaction.type.js";
import type { TransactionPageResult } from "../transactions/read-transaction-page.js";
import { connectionOfPage } from "../transactions/connection-of-page.js";

export function toAccount(link: LinkRef, a: domain.Account): Account {
  return Object.assign(new Account(), {
    id: encodeGlobalId("Account", link.id, a.id),
    type: a.type,
    name: a.name,
    mask: a.mask,
    currency: a.currency,
    localId: a.id,
    linkId: link.id,
    institutionId: link.institutionId,
  });
}

/**
 * Global ID of a transaction: link, account and the bank's ID, nothing else — so it is the same
 * string wherever it is minted (the row itself, a posted row's pendingTransactionId, a receipt's
 * transactionId, an alert), as clients that compare or cache by ID rely on.
 */
export function transactionGlobalId(link: LinkRef, accountId: string, transactionId: string): string {
  return encodeGlobalId("Transaction", link.id, accountId, transactionId);
}

export function toTransaction(link: LinkRef, t: domain.Transaction): Transaction {
  return Object.assign(new Transaction(), {
    id: transactionGlobalId(link, t.accountId, t.id),
    status: t.status,
    amount: t.amount,
    description: t.description,
    merchant: t.merchant,
    category: t.category,
    date: t.date,
    timestamp: t.timestamp,
    pendingTransactionId: t.pendingTransactionId ? transactionGlobalId(link, t.accountId, t.pendingTransactionId) : null,
    localId: t.id,
    accountLocalId: t.accountId,
    receiptLocalId: t.receiptId,
    linkId: link.id,
    institutionId: link.institutionId,
  });
}

/** A page of the transaction walk as a connection. Edge cursors and startCursor are getters: signed only if the query selects them. */
export function toTransactionConnection(link: LinkRef, page: TransactionPageResult): TransactionConnection {
  return connectionOfPage(page, (t) => toTransaction(link, t));
}

export function toReceipt(link: LinkRef, r: domain.Receipt): Receipt {
  return Object.assign(new Receipt(), {
    id: encodeGlobalId("Receipt", link.id, r.id),
    merchantName: r.merchantName,
    issuedAt: r.issuedAt,
    items: r.items,
    subtotal: r.subtotal,
    tax: r.tax,
    total: r.total,
    shipment: r.shipment,
    transactionId: transactionGlobalId(link, r.accountId, r.transactionId),
    localId: r.id,
    linkId: link.id,
    institutionId: link.institutionId,
  });
}

export function toLink(l: { id: string; institutionId: string; status: LinkStatus; createdAt: Date }): Link {
  return Object.assign(new Link(), {
    id: encodeGlobalId("Link", l.id),
    status: l.status,
    createdAt: l.createdAt,
    linkId: l.id,
    institutionId: l.institutionId,
  });
}

export function toConsent(c: StoredConsent): Consent {
  return Object.assign(new Consent(), {
    id: encodeGlobalId("Consent", c.linkId, c.id),
    clientId: c.clientId,
    scopes: [...c.scopes],
    purpose: c.purpose,
    status: c.status,
    durationDays: c.durationDays,
    historyDays: c.historyDays,
    requestedAt: c.requestedAt,
    authorizedAt: c.authorizedAt,
    expiresAt: c.expiresAt,
    revokedAt: c.revokedAt,
    localId: c.id,
    linkId: c.linkId,
  });
}
