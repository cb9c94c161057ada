import { Field, ID, InputType, Int } from "type-graphql";
import { PaymentLimitsInput } from "./payment.input.js";

@InputType({ description: "An app's request for consent on one link." })
export class RequestConsentInput {
  @Field(() => ID, { description: "Global ID of the link (from `links`)." })
  linkId!: string;

  @Field(() => [String], {
    description:
      "Scopes wanted: accounts:read, balances:read, transactions:read, receipts:read, identity:read, alerts:read, and payments:write (purpose PAYMENTS_SUPPORT, with paymentLimits).",
  })
  scopes!: string[];

  @Field(() => String, { description: "A ConsentPurpose value. ADVERTISING, MARKETING and DATA_RESALE are refused with PURPOSE_FORBIDDEN." })
  purpose!: string;

  @Field(() => Int, { description: "Validity after authorization, 1 to 365 days." })
  durationDays!: number;

  @Field(() => Int, { nullable: true, description: "Days of transaction history wanted; omit for all the bank offers." })
  historyDays?: number | null;

  @Field(() => PaymentLimitsInput, {
    nullable: true,
    description: "Required with payments:write, refused without it: the limits the person is asked to allow.",
  })
  paymentLimits?: PaymentLimitsInput | null;
}
