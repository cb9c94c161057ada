import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { RequiresScopes, type LinkScoped } from "../../consent/requires-scopes.js";
import { AccountType } from "../../domain/model.js";
import { Node } from "./node.interface.js";

registerEnumType(AccountType, { name: "AccountType", description: "What kind of account this is." });

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@RequiresScopes(["accounts:read"])
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: "An account at a linked institution. Visible only under a consent with accounts:read for its link.",
})
export class Account implements Node, LinkScoped {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;

  @Field(() => AccountType, { description: "Checking, savings, credit card, charge card or wallet." })
  type!: AccountType;

  @Field(() => String, { description: "The account's name at the bank." })
  name!: string;

  @Field(() => String, { description: "Last four digits of the account or card number. The full number never leaves the gateway." })
  mask!: string;

  @Field(() => String, { description: "ISO 4217 currency of the account." })
  currency!: string;

  /** The bank's own account ID (not exposed). */
  localId!: string;
  linkId!: string;
  institutionId!: string;
}
