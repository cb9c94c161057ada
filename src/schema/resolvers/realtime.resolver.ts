import { Arg, Resolver, Root, Subscription, type PubSub } from "type-graphql";
import { ConsentStatus } from "../../domain/consent.js";
import { bankEventDeliveries, consentEventDeliveries, paymentEventDeliveries } from "../subscriptions/deliveries.js";
import { toPaymentStatusUpdate } from "../mapping/payment-to-graphql.js";
import { PaymentStatusUpdate } from "../types/payment.type.js";
import { toConsent, toReceipt, toTransaction } from "../mapping/to-graphql.js";
import { toBalanceUpdate, toFraudAlert } from "../mapping/realtime-to-graphql.js";
import { BalanceUpdate } from "../types/balance-update.type.js";
import { Consent } from "../types/consent.type.js";
import { FraudAlert } from "../types/fraud-alert.type.js";
import { Receipt } from "../types/receipt.type.js";
import { Transaction } from "../types/transaction.type.js";
import { EventsFrom, RESUME_AFTER, type ResumableSubscribe } from "../subscriptions/resumable.js";

type Subscribe = ResumableSubscribe;
const AFTER = RESUME_AFTER;

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
  @EventsFrom("BANK")
  @Subscription(() => BalanceUpdate, {
    description: "An account's balance changed. Needs balances:read on the account's link.",
    subscribe: ({ args, context, info }: Subscribe) =>
      bankEventDeliveries(context, info, "BALANCE_CHANGED", args.after, (link, e) => toBalanceUpdate(link, e.balance)),
  })
  balanceUpdated(@Root() update: BalanceUpdate, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): BalanceUpdate {
    return update;
  }

  @EventsFrom("BANK")
  @Subscription(() => Transaction, {
    description: "A new pending (authorized, not yet settled) transaction. Needs transactions:read.",
    subscribe: ({ args, context, info }: Subscribe) =>
      bankEventDeliveries(context, info, "TRANSACTION_PENDING", args.after, (link, e) => toTransaction(link, e.transaction)),
  })
  transactionPending(@Root() transaction: Transaction, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Transaction {
    return transaction;
  }

  @EventsFrom("BANK")
  @Subscription(() => Transaction, {
    description: "A transaction posted (settled). pendingTransactionId names the pending transaction it replaces. Needs transactions:read.",
    subscribe: ({ args, context, info }: Subscribe) =>
      bankEventDeliveries(context, info, "TRANSACTION_POSTED", args.after, (link, e) => toTransaction(link, e.transaction)),
  })
  transactionPosted(@Root() transaction: Transaction, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Transaction {
    return transaction;
  }

  @EventsFrom("BANK")
  @Subscription(() => Receipt, {
    description: "A receipt changed, typically its shipment's status; transactionId joins it to its transaction. Needs receipts:read.",
    subscribe: ({ args, context, info }: Subscribe) =>
      bankEventDeliveries(context, info, "RECEIPT_UPDATED", args.after, (link, e) => toReceipt(link, e.receipt)),
  })
  receiptUpdated(@Root() receipt: Receipt, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Receipt {
    return receipt;
  }

  @EventsFrom("BANK")
  @Subscription(() => FraudAlert, {
    description: "The bank suspects fraud on an account. Needs alerts:read.",
    subscribe: ({ args, context, info }: Subscribe) => bankEventDeliveries(context, info, "FRAUD_ALERT", args.after, (link, e) => toFraudAlert(link, e.alert)),
  })
  fraudAlert(@Root() alert: FraudAlert, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): FraudAlert {
    return alert;
  }

  @EventsFrom("GATEWAY")
  @Subscription(() => Consent, {
    description:
      "One of this app's consents expires soon: announced 30 and 7 days before its expiresAt (each once per end date; a renewed consent is announced again before its new end; a warning longer than the consent itself is skipped). Only the app the consent is for receives it. `events(kinds: [CONSENT_EXPIRING])` also says which warning each was (expiryWarningDays).",
    subscribe: ({ args, context }: Subscribe) => consentEventDeliveries(context, "CONSENT_EXPIRING", ConsentStatus.AUTHORIZED, args.after, toConsent),
  })
  consentExpiring(@Root() consent: Consent, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Consent {
    return consent;
  }

  @EventsFrom("GATEWAY")
  @Subscription(() => Consent, {
    description:
      "One of this app's consents was revoked: by the user, by the app itself, or because the user unlinked the bank. Only the app the consent is for receives it; re-read state and stop using that bank's data.",
    subscribe: ({ args, context }: Subscribe) => consentEventDeliveries(context, "CONSENT_REVOKED", ConsentStatus.REVOKED, args.after, toConsent),
  })
  consentRevoked(@Root() consent: Consent, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Consent {
    return consent;
  }

  @EventsFrom("GATEWAY")
  @Subscription(() => PaymentStatusUpdate, {
    description:
      "One of this app's payments for the person changed status (created, confirmed, submitted, pending, settled, returned, declined, cancelled, failed): the status it moved to and the payment as it is now. Never backwards: a late or duplicate bank notification is not announced. Only the app that created the payment receives it; each delivery is on the access log.",
    subscribe: ({ args, context }: Subscribe) => paymentEventDeliveries(context, args.after, toPaymentStatusUpdate),
  })
  paymentStatusChanged(
    @Root() update: PaymentStatusUpdate,
    @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string,
  ): PaymentStatusUpdate {
    return update;
  }

  @EventsFrom("GATEWAY")
  @Subscription(() => Consent, {
    description:
      "The person renewed one of this app's consents: same id, scopes, purpose and accounts, a later expiresAt. Only the app the consent is for receives it.",
    subscribe: ({ args, context }: Subscribe) => consentEventDeliveries(context, "CONSENT_RENEWED", ConsentStatus.AUTHORIZED, args.after, toConsent),
  })
  consentRenewed(@Root() consent: Consent, @Arg("after", () => String, { nullable: true, description: AFTER }) _after?: string): Consent {
    return consent;
  }
}
