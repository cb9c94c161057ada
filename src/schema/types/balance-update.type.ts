import { Field, ID, ObjectType } from "type-graphql";
import { RequiresScopes, type LinkScoped } from "../../consent/requires-scopes.js";
import { Balance } from "./balance.type.js";

@RequiresScopes(["balances:read"])
@ObjectType({ description: "An account's balance changed at the bank: the new balance itself. Delivered only under a consent with balances:read." })
export class BalanceUpdate implements LinkScoped {
  @Field(() => ID, { description: "Global ID of the account (the same as Account.id)." })
  accountId!: string;

  @Field(() => Balance, { description: "The balance as the bank computed it after the change." })
  balance!: Balance;

  linkId!: string;
  institutionId!: string;
}
