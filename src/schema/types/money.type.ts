import { Field, ObjectType } from "type-graphql";

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@ObjectType({ simpleResolvers: true, description: "An amount of money. Never a float: a decimal string plus its ISO 4217 currency." })
export class Money {
  @Field(() => String, { description: 'Signed decimal string with the currency\'s minor digits, e.g. "-12.30". Negative = money out of the account.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. "USD".' })
  currency!: string;
}
