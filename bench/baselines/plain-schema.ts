/**
 * Baseline schema: the dashboard's slice of Bankgraph written the plain graphql-js way (SDL plus
 * a resolver map) — no type-graphql, no consent guard, no access log. It reads through the
 * gateway's own store, link loaders, adapters and transaction paging, so the difference to the
 * gateway is exactly what the gateway adds on top: the code-first layer and consent. (It opens the
 * raw link loaders itself, which the gateway's own resolvers cannot: they read through the bank gate.)
 * Served by both plain Apollo Server (plain-apollo.ts) and mercurius + graphql-jit (mercurius-jit.ts).
 */
import { GraphQLDateTimeISO, GraphQLLocalDate } from "graphql-scalars";
import type { Identity } from "../../src/auth/identity.js";
import type { Account, Transaction } from "../../src/domain/model.js";
import type { LinkLoaders, LinkRef } from "../../src/loaders/link-loaders.js";
import type { TransactionPageRequest } from "../../src/providers/contract.js";
import { openLinkLoaders, RequestLinks } from "../../src/loaders/request-links.js";
import type { Link } from "../../src/domain/link.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { connectionOfPage } from "../../src/schema/transactions/connection-of-page.js";
import { readTransactionPage } from "../../src/schema/transactions/read-transaction-page.js";
import { createTransactionCursorCodec, type TransactionCursorCodec } from "../../src/loaders/transaction-cursor.js";
import type { GatewayServices } from "../../src/request/gateway-services.js";

export const typeDefs = /* GraphQL */ `
  scalar DateTimeISO
  scalar LocalDate

  type Query {
    accounts(institutionIds: [ID!]): [Account]!
  }

  enum AccountType {
    CHECKING
    SAVINGS
    CREDIT_CARD
    CHARGE_CARD
    WALLET
  }
  enum InstitutionStatus {
    UP
    DEGRADED
    DOWN
  }
  enum TransactionStatus {
    PENDING
    POSTED
  }

  type Institution {
    id: ID!
    name: String!
    status: InstitutionStatus!
  }
  type Money {
    amount: String!
    currency: String!
  }
  type Balance {
    current: Money!
    available: Money
    limit: Money
    asOf: DateTimeISO!
  }
  type Merchant {
    name: String!
    categoryCode: String
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Account {
    id: ID!
    type: AccountType!
    name: String!
    mask: String!
    currency: String!
    institution: Institution!
    balance: Balance
    transactions(first: Int! = 20, after: String, from: LocalDate, to: LocalDate): TransactionConnection
  }

  type Transaction {
    id: ID!
    status: TransactionStatus!
    amount: Money!
    description: String!
    merchant: Merchant
    category: String
    date: LocalDate!
    timestamp: DateTimeISO
    pendingTransactionId: ID
  }
  type TransactionEdge {
    cursor: String!
    node: Transaction!
  }
  type TransactionConnection {
    edges: [TransactionEdge!]!
    nodes: [Transaction!]!
    pageInfo: PageInfo!
  }
`;

/** Per-request state of the baselines: who is calling and their links' loaders. */
export interface PlainContext {
  identity: Identity;
  links: RequestLinks;
  /** Raw loaders per link, for this request. */
  loaders: Map<string, LinkLoaders | undefined>;
  services: GatewayServices;
  /** Signs transaction cursors as the gateway does. */
  cursors: TransactionCursorCodec;
}

/**
 * The baselines' context factory: verifies the bearer token (the gateway's verifier) and opens
 * the caller's links (the gateway's loaders, and its upstream cache when the services have one).
 */
export function plainContextFactory(services: GatewayServices): (authorization: string | undefined) => Promise<PlainContext> {
  const cursors = createTransactionCursorCodec(services.config.tokenEncryptionKey);
  return async (authorization) => {
    const identity = await services.verifyToken(authorization);
    return { identity, links: new RequestLinks(identity.userId, services), loaders: new Map(), services, cursors };
  };
}

interface AccountParent extends Account {
  localId: string;
  link: LinkRef;
}

const transactionId = (link: LinkRef, t: Transaction, id: string) => encodeGlobalId("Transaction", link.id, t.accountId, id);

function loadersFor(context: PlainContext, link: Link): LinkLoaders | undefined {
  if (!context.loaders.has(link.id)) context.loaders.set(link.id, openLinkLoaders(link, context.links.deps));
  return context.loaders.get(link.id);
}

async function loadersOf(context: PlainContext, account: AccountParent) {
  const link = await context.links.byId(account.link.id);
  return link && loadersFor(context, link);
}

export const resolvers = {
  DateTimeISO: GraphQLDateTimeISO,
  LocalDate: GraphQLLocalDate,
  Query: {
    async accounts(_: unknown, args: { institutionIds?: string[] | null }, context: PlainContext): Promise<Array<AccountParent | Error>> {
      const links = (await context.links.all()).filter((l) => !args.institutionIds || args.institutionIds.includes(l.institutionId));
      const perLink = await Promise.all(
        links.map(async (link): Promise<Array<AccountParent | Error>> => {
          const loaders = loadersFor(context, link);
          if (!loaders) return [];
          try {
            return (await loaders.accounts()).map((a) => ({ ...a, id: encodeGlobalId("Account", link.id, a.id), localId: a.id, link: loaders.link }));
          } catch (error) {
            return [error as Error];
          }
        }),
      );
      return perLink.flat();
    },
  },
  Account: {
    institution(account: AccountParent, _: unknown, context: PlainContext) {
      const { providers, health } = context.services;
      const id = account.link.institutionId;
      return { id, name: providers.institutions.find((i) => i.id === id)?.name ?? id, status: health.status(id) };
    },
    async balance(account: AccountParent, _: unknown, context: PlainContext) {
      const loaders = await loadersOf(context, account);
      return loaders ? loaders.balances.load(account.localId) : null;
    },
    async transactions(
      account: AccountParent,
      args: { first: number; after?: string | null; from?: string | null; to?: string | null },
      context: PlainContext,
    ) {
      const loaders = await loadersOf(context, account);
      if (!loaders) return null;
      const source = {
        page: (request: TransactionPageRequest) => loaders.transactionPages.load(request),
        keepsReplacedPending: loaders.provider.capabilities.keepsReplacedPending,
      };
      const page = await readTransactionPage(source, account.localId, {
        first: args.first,
        after: args.after,
        from: args.from ?? undefined,
        to: args.to ?? undefined,
        cursors: context.services.transactionCursors.scoped([account.link.id, account.localId, args.from ?? null, args.to ?? null]),
      });
      // Cursors signed only when selected, as Bankgraph does.
      return connectionOfPage(page, (t) => ({
        ...t,
        id: transactionId(loaders.link, t, t.id),
        pendingTransactionId: t.pendingTransactionId ? transactionId(loaders.link, t, t.pendingTransactionId) : null,
      }));
    },
  },
};
