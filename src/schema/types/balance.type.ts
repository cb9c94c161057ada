import { Field, ObjectType } from "type-graphql";
import { GraphQLISODateTime } from "type-graphql";
import { Money } from "./money.type.js";

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@ObjectType({ simpleResolvers: true, description: "An account's balance as the bank last computed it." })
export class Balance {
  @Field(() => Money, { description: "Deposit accounts and wallets: money in the account. Cards: the amount owed." })
  current!: Money;

  @Field(() => Money, { nullable: true, description: "What can be spent now (after pending holds), where the bank reports it." })
  available!: Money | null;

  @Field(() => Money, { nullable: true, description: "Credit limit, for cards that have one." })
  limit!: Money | null;

  @Field(() => GraphQLISODateTime, { description: "When the bank computed this balance (freshness)." })
  asOf!: Date;
}
