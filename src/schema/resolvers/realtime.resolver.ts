import type { GraphQLResolveInfo } from "graphql";
import { Resolver, Root, Subscription, type PubSub } from "type-graphql";
import { bankEventDeliveries, consentExpiringDeliveries } from "../subscriptions/deliveries.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { toConsent, toReceipt, toTransaction } from "../mapping/to-graphql.js";
import { toBalanceUpdate, toFraudAlert } from "../mapping/realtime-to-graphql.js";
import { BalanceUpdate } from "../types/balance-update.type.js";
import { Consent } from "../types/consent.type.js";
import { FraudAlert } from "../types/fraud-alert.type.js";
import { Receipt } from "../types/receipt.type.js";
import { Transaction } from "../types/transaction.type.js";

type Subscribe = { context: GatewayContext; info: GraphQLResolveInfo };

/**
 * type-graphql refuses to build subscriptions without a `pubSub`, even when every subscription
 * brings its own `subscribe` stream (ours do: src/schema/subscriptions/deliveries.ts). This one is never used.
 */
export const unusedTypeGraphqlPubSub: PubSub = {
  publish() {
    throw new Error("Publish through services.realtime.pubsub");
  },
  subscribe() {
    throw new Error("Subscriptions bring their own subscribe function");
  },
};

/**
 * Subscriptions (GraphQL over WebSocket, `graphql-transport-ws`, at /graphql). Each event carries
 * its data, is delivered only for the subscriber's own links, and only while the app's consent on
 * that link grants the scope the data needs — decided again for every event, against the
 * `@requiresScopes` of the payload type (BalanceUpdate, Transaction, Receipt, FraudAlert).
 */
@Resolver()
export class RealtimeResolver {
  @Subscription(() => BalanceUpdate, {
    description: "An account's balance changed. Needs balances:read on the account's link.",
    subscribe: ({ context, info }: Subscribe) => bankEventDeliveries(context, info, "BALANCE_CHANGED", (link, e) => toBalanceUpdate(link, e.balance)),
  })
  balanceUpdated(@Root() update: BalanceUpdate): BalanceUpdate {
    return update;
  }

  @Subscription(() => Transaction, {
    description: "A new pending (authorized, not yet settled) transaction. Needs transactions:read.",
    subscribe: ({ context, info }: Subscribe) => bankEventDeliveries(context, info, "TRANSACTION_PENDING", (link, e) => toTransaction(link, e.transaction)),
  })
  transactionPending(@Root() transaction: Transaction): Transaction {
    return transaction;
  }

  @Subscription(() => Transaction, {
    description: "A transaction posted (settled). pendingTransactionId names the pending transaction it replaces. Needs transactions:read.",
    subscribe: ({ context, info }: Subscribe) => bankEventDeliveries(context, info, "TRANSACTION_POSTED", (link, e) => toTransaction(link, e.transaction)),
  })
  transactionPosted(@Root() transaction: Transaction): Transaction {
    return transaction;
  }

  @Subscription(() => Receipt, {
    description: "A receipt changed, typically its shipment's status; transactionId joins it to its transaction. Needs receipts:read.",
    subscribe: ({ context, info }: Subscribe) => bankEventDeliveries(context, info, "RECEIPT_UPDATED", (link, e) => toReceipt(link, e.receipt)),
  })
  receiptUpdated(@Root() receipt: Receipt): Receipt {
    return receipt;
  }

  @Subscription(() => FraudAlert, {
    description: "The bank suspects fraud on an account. Needs alerts:read.",
    subscribe: ({ context, info }: Subscribe) => bankEventDeliveries(context, info, "FRAUD_ALERT", (link, e) => toFraudAlert(link, e.alert)),
  })
  fraudAlert(@Root() alert: FraudAlert): FraudAlert {
    return alert;
  }

  @Subscription(() => Consent, {
    description: "One of this app's consents expires within 7 days (announced once per consent). Only the app the consent is for receives it.",
    subscribe: ({ context }: Subscribe) => consentExpiringDeliveries(context, toConsent),
  })
  consentExpiring(@Root() consent: Consent): Consent {
    return consent;
  }
}
