import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { BalanceUpdate } from "./balance-update.type.js";
import { ConnectSession } from "./connect-session.type.js";
import { Consent } from "./consent.type.js";
import { FraudAlert } from "./fraud-alert.type.js";
import { PageInfo } from "./page-info.type.js";
import { PaymentStatusUpdate } from "./payment.type.js";
import { Receipt } from "./receipt.type.js";
import { Transaction } from "./transaction.type.js";

/** Every kind of event in a person's log (src/realtime/app-event.ts). */
export enum EventKind {
  BALANCE_CHANGED = "BALANCE_CHANGED",
  TRANSACTION_PENDING = "TRANSACTION_PENDING",
  TRANSACTION_POSTED = "TRANSACTION_POSTED",
  RECEIPT_UPDATED = "RECEIPT_UPDATED",
  FRAUD_ALERT = "FRAUD_ALERT",
  CONSENT_EXPIRING = "CONSENT_EXPIRING",
  CONSENT_REVOKED = "CONSENT_REVOKED",
  CONSENT_RENEWED = "CONSENT_RENEWED",
  CONNECT_SESSION_FINISHED = "CONNECT_SESSION_FINISHED",
  PAYMENT_STATUS_CHANGED = "PAYMENT_STATUS_CHANGED",
}

registerEnumType(EventKind, {
  name: "EventKind",
  description:
    "What happened. Bank events (BALANCE_CHANGED … FRAUD_ALERT) carry the bank's data; consent events (CONSENT_EXPIRING, CONSENT_REVOKED, CONSENT_RENEWED) carry the consent as it is now; CONNECT_SESSION_FINISHED carries the app's connect session; PAYMENT_STATUS_CHANGED carries one of the app's payments and the status it moved to.",
});

@ObjectType({
  description:
    "One event of the person's event log, as the subscriptions deliver it: exactly one payload field is set, the one its kind names. Payloads are state (a balance with its asOf, a shipment with its status), so handling an event twice is harmless.",
})
export class Event {
  @Field(() => ID, { description: "Stable ID of the event: the same in every replay and in the subscription result's extensions.event. De-duplicate by it." })
  eventId!: string;

  @Field(() => String, { description: "Position of the event in the person's log; pass as `after` to read or subscribe from here." })
  cursor!: string;

  @Field(() => GraphQLISODateTime, { description: "When it happened at the bank (consent events: when the gateway noticed)." })
  occurredAt!: Date;

  @Field(() => EventKind)
  kind!: EventKind;

  @Field(() => BalanceUpdate, { nullable: true, description: "BALANCE_CHANGED: the new balance." })
  balanceUpdate!: BalanceUpdate | null;

  @Field(() => Transaction, { nullable: true, description: "TRANSACTION_PENDING, TRANSACTION_POSTED: the transaction." })
  transaction!: Transaction | null;

  @Field(() => Receipt, { nullable: true, description: "RECEIPT_UPDATED: the receipt, typically with a new shipment status." })
  receipt!: Receipt | null;

  @Field(() => FraudAlert, { nullable: true, description: "FRAUD_ALERT: the alert." })
  fraudAlert!: FraudAlert | null;

  @Field(() => Consent, { nullable: true, description: "CONSENT_EXPIRING, CONSENT_REVOKED, CONSENT_RENEWED: this app's consent, as it is now." })
  consent!: Consent | null;

  @Field(() => Int, {
    nullable: true,
    description: "CONSENT_EXPIRING: which warning this is — 30 or 7, the days before the consent's expiresAt it was sent. Null for other kinds.",
  })
  expiryWarningDays!: number | null;

  @Field(() => ConnectSession, { nullable: true, description: "CONNECT_SESSION_FINISHED: this app's connect session, as it is now." })
  connectSession!: ConnectSession | null;

  @Field(() => PaymentStatusUpdate, {
    nullable: true,
    description: "PAYMENT_STATUS_CHANGED: the status this change moved to, and this app's payment as it is now.",
  })
  paymentStatusUpdate!: PaymentStatusUpdate | null;
}

@ObjectType({ description: "A page of the person's events, oldest first." })
export class EventConnection {
  @Field(() => [Event], { description: "The events this app may see; events it may not see are skipped, and endCursor is past them too." })
  nodes!: Event[];

  @Field(() => PageInfo, { description: "endCursor: pass as `after` for the next page, or to a subscription's `after` to go live from here." })
  pageInfo!: PageInfo;
}
