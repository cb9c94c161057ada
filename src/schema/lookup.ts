/**
 * Finding one of the caller's objects by its parts. Each lookup starts from the caller's own link,
 * so a foreign link, a forged ID or a missing object all answer the same: null. On the caller's own
 * link, the object's type-level consent is checked before the bank is asked (no call when denied).
 */
import { assertObjectConsented } from "../consent/requires-scopes.js";
import { userPresent, type GatewayContext } from "../request/gateway-context.js";
import type { DecodedGlobalId } from "./global-id.js";
import { historyWindow } from "./transactions/history-window.js";
import { toAccount, toConsent, toLink, toReceipt, toTransaction } from "./mapping/to-graphql.js";
import { Account } from "./types/account.type.js";
import type { Node } from "./types/node.interface.js";
import { Receipt } from "./types/receipt.type.js";
import { Transaction } from "./types/transaction.type.js";

/** Rows per bank page when looking a transaction up; with the page cap, 5000 rows (years of history). */
const LOOKUP_PAGE = 250;
const LOOKUP_MAX_PAGES = 20;

async function loadersFor(context: GatewayContext, linkId: string) {
  const link = await context.links.byId(linkId);
  return link && context.links.loaders(link);
}

export async function findAccount(context: GatewayContext, linkId: string, accountId: string): Promise<Account | null> {
  const loaders = await loadersFor(context, linkId);
  if (!loaders) return null;
  await assertObjectConsented(context, Account, loaders.link);
  const account = await loaders.account(accountId);
  return account ? toAccount(loaders.link, account) : null;
}

export async function findReceipt(context: GatewayContext, linkId: string, receiptId: string): Promise<Receipt | null> {
  const loaders = await loadersFor(context, linkId);
  if (!loaders) return null;
  await assertObjectConsented(context, Receipt, loaders.link);
  if (!loaders.provider.capabilities.receipts) return null;
  const receipt = await loaders.receipts.load(receiptId);
  return receipt ? toReceipt(loaders.link, receipt) : null;
}

/**
 * Reads the account's transactions, newest first and within the consent's history window, until
 * the ID turns up. (Banks offer no fetch-by-ID; a date in the global ID could not be used instead,
 * because a pending row's date is unknown where its ID is minted from the posted row.)
 */
export async function findTransaction(context: GatewayContext, linkId: string, accountId: string, transactionId: string): Promise<Transaction | null> {
  const loaders = await loadersFor(context, linkId);
  if (!loaders) return null;
  await assertObjectConsented(context, Transaction, loaders.link);
  if (!(await loaders.account(accountId))) return null;
  const { from, to } = (await historyWindow(context, linkId)) ?? {};
  let cursor: string | null = null;
  for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
    const result = await loaders.transactionPages.load({ accountId, from, to, cursor, limit: LOOKUP_PAGE });
    const found = result.items.find((t) => t.id === transactionId);
    if (found) return toTransaction(loaders.link, found);
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
