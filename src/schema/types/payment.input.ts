import { Field, GraphQLISODateTime, ID, InputType, Int } from "type-graphql";

@InputType({ description: "An amount of money: a decimal string (never a float) and its ISO 4217 currency." })
export class MoneyInput {
  @Field(() => String, { description: 'Positive decimal string with at most the currency\'s minor digits, e.g. "12.50".' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 code, e.g. "USD".' })
  currency!: string;
}

@InputType({ description: "Whom to pay: exactly one field." })
export class PayeeInput {
  @Field(() => String, { nullable: true, description: "A payee the person registered at the bank (Chase, U.S. Bank)." })
  payeeId?: string | null;

  @Field(() => String, { nullable: true, description: "PayPal: an email address." })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "PayPal: an E.164 phone number." })
  phone?: string | null;
}

@InputType({ description: "A payment the app asks to make for the person; the person confirms it on their own device." })
export class CreatePaymentIntentInput {
  @Field(() => ID, { description: "Global ID of the source account (Account.id)." })
  fromAccountId!: string;

  @Field(() => PayeeInput)
  payee!: PayeeInput;

  @Field(() => MoneyInput)
  amount!: MoneyInput;

  @Field(() => String, { description: "Shown to the payee, 1 to 140 characters." })
  reference!: string;

  @Field(() => String, {
    description:
      "1 to 255 printable ASCII characters, unique per payment: the same key with the same input answers the same payment (as it is now); with other input IDEMPOTENCY_KEY_REUSED; while the first call runs IDEMPOTENCY_IN_PROGRESS. Kept 7 days.",
  })
  idempotencyKey!: string;
}

@InputType({ description: "The limits an app proposes for payments:write; the person may lower them. Required with payments:write, refused without it." })
export class PaymentLimitsInput {
  @Field(() => String, { description: 'ISO 4217 code of every limit and payment, e.g. "USD".' })
  currency!: string;

  @Field(() => String, { description: 'Largest single payment, a decimal string, e.g. "100.00".' })
  perPayment!: string;

  @Field(() => String, { description: "Most in any rolling 24 hours (at least perPayment)." })
  dailyAmount!: string;

  @Field(() => Int, { description: "Most payments in any rolling 24 hours, 1 to 100." })
  dailyCount!: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When paying ends (never after the consent); omit for the consent's end." })
  endsAt?: Date | null;
}
