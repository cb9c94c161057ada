import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";
import { RequiresScopes, type LinkScoped } from "../../consent/requires-scopes.js";
import { FraudAlertSeverity } from "../../domain/bank-event.js";
import { Money } from "./money.type.js";

registerEnumType(FraudAlertSeverity, { name: "FraudAlertSeverity", description: "How sure the bank is that something is wrong." });

@RequiresScopes(["alerts:read"])
@ObjectType({ description: "The bank suspects fraud on an account. Delivered only under a consent with alerts:read." })
export class FraudAlert implements LinkScoped {
  @Field(() => ID, { description: "Opaque ID of the alert." })
  id!: string;

  @Field(() => ID, { description: "Global ID of the account (the same as Account.id)." })
  accountId!: string;

  @Field(() => ID, { nullable: true, description: "Global ID of the transaction the alert is about, where there is one." })
  transactionId!: string | null;

  @Field(() => FraudAlertSeverity, { description: "How sure the bank is." })
  severity!: FraudAlertSeverity;

  @Field(() => String, { description: 'The bank\'s reason, e.g. "Unusual card-not-present purchase".' })
  reason!: string;

  @Field(() => Money, { nullable: true, description: "The amount involved, where there is one." })
  amount!: Money | null;

  @Field(() => String, { nullable: true, description: "The merchant involved, where there is one." })
  merchantName!: string | null;

  @Field(() => GraphQLISODateTime, { description: "When the bank raised the alert." })
  at!: Date;

  linkId!: string;
  institutionId!: string;
}
