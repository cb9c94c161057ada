/**
 * Finding one of the caller's objects by its parts. Each lookup opens the bank gate on the
 * caller's own link, so a foreign link, a forged ID or a missing object all answer the same: null;
 * on the caller's own link, consent for the object's scope is decided before the bank is asked
 * (no call when denied), and an object outside the consent's history window is missing too.
 */
import { openBank } from "../loaders/bank-gate.js";
import { userPresent, type GatewayContext } from "../request/gateway-context.js";
import type { DecodedGlobalId } from "./global-id.js";
import { toAccount, toConsent, toLink, toReceipt, toTransaction } from "./mapping/to-graphql.js";
import type { Account } from "./types/account.type.js";
import type { Node } from "./types/node.interface.js";
import type { Receipt } from "./types/receipt.type.js";
import type { Transaction } from "./types/transaction.type.js";

/** Rows per bank page when looking a transaction up; with the page cap, 5000 rows (years of history). */
const LOOKUP_PAGE = 250;
const LOOKUP_MAX_PAGES = 20;

export async function findAccount(context: GatewayContext, linkId: string, accountId: string): Promise<Account | null> {
  const accounts = await openBank(context, { linkId }, "accounts:read");
  if (!accounts) return null;
  const account = await accounts.account(accountId);
  return account ? toAccount(accounts.link, account) : null;
}

export async function findReceipt(context: GatewayContext, linkId: string, receiptId: string): Promise<Receipt | null> {
  const receipts = await openBank(context, { linkId }, "receipts:read");
  if (!receipts) return null;
  const receipt = await receipts.receipt(receiptId);
  return receipt ? toReceipt(receipts.link, receipt) : null;
}

/**
 * Reads the account's transactions, newest first and within the consent's history window (the
 * gate's reader clamps), until the ID turns up. (Banks offer no fetch-by-ID; a date in the global
 * ID could not be used instead, because a pending row's date is unknown where its ID is minted
 * from the posted row.)
 */
export async function findTransaction(context: GatewayContext, linkId: string, accountId: string, transactionId: string): Promise<Transaction | null> {
  const transactions = await openBank(context, { linkId }, "transactions:read");
  if (!transactions || !(await transactions.holdsAccount(accountId))) return null;
  let cursor: string | null = null;
  for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
    const result = await transactions.page({ accountId, cursor, limit: LOOKUP_PAGE });
    const found = result.items.find((t) => t.id === transactionId);
    if (found) return toTransaction(transactions.link, found);
    cursor = result.nextCursor;
    if (!cursor) return null;
  }
  return null;
}

/** `node(id:)`: any of the caller's objects, or null. */
export async function findNode(context: GatewayContext, id: DecodedGlobalId): Promise<Node | null> {
  const [linkId, ...rest] = id.parts;
  if (!linkId) return null;
  switch (id.kind) {
    case "Link": {
      const link = await context.links.byId(linkId);
      return link ? toLink(link) : null;
    }
    case "Account":
      return rest.length === 1 ? findAccount(context, linkId, rest[0]!) : null;
    case "Receipt":
      return rest.length === 1 ? findReceipt(context, linkId, rest[0]!) : null;
    case "Transaction":
      return rest.length === 2 ? findTransaction(context, linkId, rest[0]!, rest[1]!) : null;
    case "Consent": {
      if (rest.length !== 1) return null;
      const consent = await context.services.consents.getForUser(rest[0]!, context.identity.userId).catch(() => null);
      return consent && consent.linkId === linkId && visibleConsent(context, consent.clientId) ? toConsent(consent) : null;
    }
    case "Institution":
      return null;
  }
}

/** An app sees its own consents; the user (a user-present token) sees all of theirs. */
export function visibleConsent(context: GatewayContext, clientId: string): boolean {
  return userPresent(context) || clientId === context.identity.clientId;
}
