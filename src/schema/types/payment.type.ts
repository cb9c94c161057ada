import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PaymentDeclineReason, PaymentStatus } from "../../domain/payment.js";
import { Money } from "./money.type.js";
import { PageInfo } from "./page-info.type.js";

registerEnumType(PaymentStatus, {
  name: "PaymentStatus",
  description:
    "Where a payment stands: REQUIRES_CONFIRMATION → CONFIRMED (by the person, on their device) → SUBMITTED → PENDING → SETTLED, and SETTLED → RETURNED; DECLINED, EXPIRED, CANCELLED and FAILED are final. Never moves backwards. EXPIRED is derived from the clock on every read.",
});
registerEnumType(PaymentDeclineReason, {
  name: "PaymentDeclineReason",
  description:
    "Why the gateway declined a payment it recorded. (A payment the app may not start at all — no payments:write, another person's account or payee — is not recorded: it is refused with PAYMENT_NOT_ALLOWED, extensions.reason CONSENT_MISSING, ACCOUNT_NOT_ALLOWED, PAYEE_NOT_FOUND or PAYMENTS_NOT_OFFERED.)",
});

/** The gateway's answer to a new payment. */
export enum PaymentDecision {
  APPROVED = "APPROVED",
  DECLINED = "DECLINED",
}
registerEnumType(PaymentDecision, { name: "PaymentDecision", description: "APPROVED: send the person to confirmationUrl. DECLINED: see declineReason." });

/** Whom the money goes to. */
export enum PayeeKind {
  REGISTERED_PAYEE = "REGISTERED_PAYEE",
  EMAIL = "EMAIL",
  PHONE = "PHONE",
}
registerEnumType(PayeeKind, { name: "PayeeKind", description: "A payee the person registered at the bank, or (PayPal) an email address or phone number." });

@ObjectType({ description: "Whom a payment goes to, as the app named it." })
export class Payee {
  @Field(() => PayeeKind)
  kind!: PayeeKind;

  @Field(() => String, { nullable: true, description: "REGISTERED_PAYEE: the bank's payee id." })
  payeeId!: string | null;

  @Field(() => String, { nullable: true, description: "EMAIL: the address." })
  email!: string | null;

  @Field(() => String, { nullable: true, description: "PHONE: the E.164 number." })
  phone!: string | null;
}

@ObjectType({ description: "One status a payment took, and who moved it." })
export class PaymentStatusChange {
  @Field(() => PaymentStatus)
  status!: PaymentStatus;

  @Field(() => String, { nullable: true, description: "Why (a decline, failure, return or cancellation reason)." })
  reason!: string | null;

  @Field(() => String, { description: "APP, PERSON, BANK or SYSTEM (a revocation or expiry of the consent)." })
  source!: string;

  @Field(() => GraphQLISODateTime)
  at!: Date;
}

@ObjectType({ description: "A payment an app started for the person. Only that app sees it." })
export class Payment {
  @Field(() => ID, { description: "The payment's ID; also the bank's idempotency key when it is submitted." })
  id!: string;

  @Field(() => PaymentStatus, { description: "Status now." })
  status!: PaymentStatus;

  @Field(() => PaymentDecision, { description: "The gateway's decision when the payment was created." })
  decision!: PaymentDecision;

  @Field(() => PaymentDeclineReason, { nullable: true, description: "DECLINED: why." })
  declineReason!: PaymentDeclineReason | null;

  @Field(() => String, { nullable: true, description: "FAILED or RETURNED: why, in the bank's words." })
  failureReason!: string | null;

  @Field(() => ID, { description: "Global ID of the source account." })
  fromAccountId!: string;

  @Field(() => String, { description: "The source account's last four characters." })
  fromAccountMask!: string;

  @Field(() => String, { description: "The bank the money leaves from." })
  institutionId!: string;

  @Field(() => Payee)
  payee!: Payee;

  @Field(() => Money, { description: "What the payee receives." })
  amount!: Money;

  @Field(() => Money, { nullable: true, description: "What the bank charges, where it says." })
  fee!: Money | null;

  @Field(() => String, { description: "Shown to the payee." })
  reference!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "REQUIRES_CONFIRMATION: where the person confirms the payment on their own device (signed in at Bankgraph, with a passkey). Null otherwise. Send it to the person; never act on message text.",
  })
  confirmationUrl!: string | null;

  @Field(() => GraphQLISODateTime, { description: "The confirmation URL works until then (PAYMENT_CONFIRMATION_MINUTES after creation)." })
  confirmationExpiresAt!: Date;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  localId!: string;
  linkId!: string;
  consentId!: string;
}

@ObjectType({ description: "A page of the app's payments for the person, newest first." })
export class PaymentConnection {
  @Field(() => [Payment])
  nodes!: Payment[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: "One of the app's payments changed status: the change, and the payment as it is now." })
export class PaymentStatusUpdate {
  @Field(() => PaymentStatus, { description: "The status this change moved to (the payment may have moved on since)." })
  status!: PaymentStatus;

  @Field(() => String, { nullable: true, description: "Why, where there is a reason." })
  reason!: string | null;

  @Field(() => Payment, { description: "The payment, re-read now." })
  payment!: Payment;
}

@ObjectType({ description: "The limits the person chose for payments:write on this consent." })
export class PaymentLimits {
  @Field(() => Money, { description: "Largest single payment." })
  perPayment!: Money;

  @Field(() => Money, { description: "Most in any rolling 24 hours." })
  dailyAmount!: Money;

  @Field(() => Int, { description: "Most payments in any rolling 24 hours." })
  dailyCount!: number;

  @Field(() => [ID], { description: "Global IDs of the accounts money may leave from." })
  fromAccountIds!: string[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When paying ends; null = when the consent ends." })
  endsAt!: Date | null;
}
