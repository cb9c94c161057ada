import { GraphQLLocalDate } from "../types/local-date.scalar.js";
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { openBank } from "../../loaders/bank-gate.js";
import { DenialReason } from "../../consent/consent-view.js";
import { ConsentDeniedError, RequiresScopes } from "../../consent/requires-scopes.js";
import { badInput } from "../../errors.js";
import { listComplexity, pageComplexity } from "../complexity.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { decodeGlobalId } from "../global-id.js";
import { findAccount } from "../lookup.js";
import { toAccount, toReceipt, toTransactionConnection } from "../mapping/to-graphql.js";
import { readTransactionPage, type TransactionPageSource } from "../transactions/read-transaction-page.js";
import { replayedOrBuilt } from "../transactions/replayed-pages.js";
import { Account } from "../types/account.type.js";
import { Balance } from "../types/balance.type.js";
import { Institution } from "../types/institution.type.js";
import { AccountOwner } from "../types/owner.type.js";
import { Receipt } from "../types/receipt.type.js";
import { TransactionConnection } from "../types/transaction.type.js";
import { institutionOf } from "./institution.resolver.js";

const MAX_PAGE = 100;
/** Longest `Account.balance(maxAge:)`; a day is far beyond any cache TTL, so larger asks are mistakes. */
const MAX_BALANCE_AGE_SECONDS = 86_400;

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`);
  return first;
}

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => [Account], {
    nullable: "items",
    complexity: listComplexity,
    description:
      "The user's accounts at every linked institution whose consent for this app grants accounts:read. A link whose consent for this app expired, was revoked or rejected, or awaits the user contributes one null item with an UNAUTHORIZED_FIELD_OR_TYPE error (institutionId, requiredScopes, reason) so the app can ask the user to renew; links without any consent for this app are left out silently. A bank that cannot answer contributes one null item with an error (INSTITUTION_DOWN, INSTITUTION_TIMEOUT, RATE_LIMITED, LOGIN_REQUIRED, …) carrying its institutionId; the other banks' accounts still come back.",
  })
  async accounts(
    @Ctx() context: GatewayContext,
    @Arg("institutionIds", () => [ID], { nullable: true, description: "Only these institutions." }) institutionIds?: string[] | null,
  ): Promise<Array<Account | Error>> {
    const links = (await context.links.all()).filter((l) => !institutionIds || institutionIds.includes(l.institutionId));
    const perLink = await Promise.all(
      links.map(async (link): Promise<Array<Account | Error>> => {
        try {
          const accounts = await openBank(context, { linkId: link.id }, "accounts:read", "Query.accounts");
          return accounts ? (await accounts.accounts()).map((a) => toAccount(accounts.link, a)) : [];
        } catch (error) {
          // No consent, or one without accounts:read: the app was never shown this link, so stay silent.
          // A consent that lapsed, was withdrawn or still awaits the user: one null item, so the app can
          // prompt the user to renew instead of silently showing fewer accounts. A bank that failed: its error.
          if (error instanceof ConsentDeniedError && error.reason === DenialReason.NOT_GRANTED) return [];
          return [error as Error];
        }
      }),
    );
    return perLink.flat();
  }

  @Query(() => Account, { nullable: true, description: "One of the user's accounts by global ID; null when there is no such account for this user." })
  async account(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Account | null> {
    const decoded = decodeGlobalId(id);
    if (decoded?.kind !== "Account" || decoded.parts.length !== 2) return null;
    return findAccount(context, decoded.parts[0]!, decoded.parts[1]!);
  }

  @FieldResolver(() => Institution, { description: "Where the account is held." })
  institution(@Root() account: Account, @Ctx() context: GatewayContext): Institution {
    return institutionOf(context, account.institutionId);
  }

  @RequiresScopes(["balances:read"])
  @FieldResolver(() => Balance, {
    nullable: true,
    description:
      "Current balance. Needs balances:read. The gateway may answer from its short-lived cache (asOf says when the bank computed it); maxAge asks for a fresher one.",
  })
  async balance(
    @Root() account: Account,
    @Ctx() context: GatewayContext,
    @Arg("maxAge", () => Int, {
      nullable: true,
      description: `Oldest answer acceptable, in seconds (0 to ${MAX_BALANCE_AGE_SECONDS}); 0 asks the bank now. Default: the gateway's cache TTL.`,
    })
    maxAge?: number | null,
  ): Promise<Balance | null> {
    if (maxAge != null && (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_BALANCE_AGE_SECONDS)) {
      throw badInput(`maxAge must be between 0 and ${MAX_BALANCE_AGE_SECONDS} seconds`);
    }
    const balances = await openBank(context, account, "balances:read", "Account.balance");
    return balances ? balances.balance(account.localId, maxAge == null ? undefined : maxAge * 1000) : null;
  }

  @RequiresScopes(["transactions:read"])
  @FieldResolver(() => TransactionConnection, {
    nullable: true,
    complexity: pageComplexity(20),
    description:
      "Transactions, newest first, over the bank's own paging; a walk of pages lists each purchase once, pending or posted (one that posts before the walk reaches it comes, posted, at the end of a later page). Needs transactions:read; limited to the consent's history window.",
  })
  async transactions(
    @Root() account: Account,
    @Ctx() context: GatewayContext,
    @Arg("first", () => Int, { defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor (or an edge cursor) of the previous page." }) after?: string | null,
    @Arg("from", () => GraphQLLocalDate, { nullable: true, description: "Earliest date, inclusive." }) from?: string | null,
    @Arg("to", () => GraphQLLocalDate, { nullable: true, description: "Latest date, inclusive." }) to?: string | null,
  ): Promise<TransactionConnection | null> {
    pageSize(first);
    if (from && to && from > to) throw badInput("from must not be after to");
    const transactions = await openBank(context, account, "transactions:read", "Account.transactions");
    if (!transactions) return null;
    // A cursor is only good for the query that issued it: same account, same requested range.
    const scope = [account.linkId, account.localId, from ?? null, to ?? null];
    const cursors = context.services.transactionCursors.scoped(scope);
    // The reader keeps the range inside the consent's history window; a connection is built once for the
    // same bank pages, which can only come back while the upstream cache keeps them.
    const key = JSON.stringify([...scope, first, after ?? null]);
    const build = async (source: TransactionPageSource) => {
      const page = await readTransactionPage(source, account.localId, { first, after, from: from ?? undefined, to: to ?? undefined, cursors });
      return toTransactionConnection(transactions.link, page);
    };
    return replayedOrBuilt(key, transactions, build, { keep: context.services.upstreamCache.keepsAnswers });
  }

  @RequiresScopes(["receipts:read"])
  @FieldResolver(() => [Receipt], {
    nullable: true,
    complexity: pageComplexity(10),
    description: "Recent itemized receipts, newest first (empty where the bank has none). Needs receipts:read; limited to the consent's history window.",
  })
  async receipts(
    @Root() account: Account,
    @Ctx() context: GatewayContext,
    @Arg("first", () => Int, { defaultValue: 10, description: "How many, 1 to 100." }) first: number,
  ): Promise<Receipt[] | null> {
    pageSize(first);
    const receipts = await openBank(context, account, "receipts:read", "Account.receipts");
    return receipts ? (await receipts.recentReceipts(account.localId, first)).map((r) => toReceipt(receipts.link, r)) : null;
  }

  @RequiresScopes(["identity:read"])
  @FieldResolver(() => AccountOwner, { nullable: true, description: "The account holder's name and contact details. Needs identity:read." })
  async owner(@Root() account: Account, @Ctx() context: GatewayContext): Promise<AccountOwner | null> {
    const identity = await openBank(context, account, "identity:read", "Account.owner");
    return identity ? identity.owner(account.localId) : null;
  }
}
