import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "An amount of money. Never a float: a decimal string plus its ISO 4217 currency." })
export class Money {
  @Field(() => String, { description: 'Signed decimal string with the currency\'s minor digits, e.g. "-12.30". Negative = money out of the account.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. "USD".' })
  currency!: string;
}
