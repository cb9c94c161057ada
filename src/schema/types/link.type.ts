import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";
import type { LinkScoped } from "../../consent/requires-scopes.js";
import { LinkStatus } from "../../domain/link.js";
import { Node } from "./node.interface.js";

registerEnumType(LinkStatus, {
  name: "LinkStatus",
  description: "State of the user's login at a bank.",
  valuesConfig: {
    ACTIVE: { description: "Working." },
    LOGIN_REQUIRED: { description: "The bank wants the user to log in again (linkInstitution with fresh credentials)." },
    REVOKED: { description: "Removed by the user; its consents are revoked and its token deleted." },
  },
});

@ObjectType({ implements: Node, description: "The user's login at one institution. Visible to the app so it can ask for consent; its data is not." })
export class Link implements Node, LinkScoped {
  @Field(() => ID, { description: "Opaque global ID; pass it to requestConsent." })
  id!: string;

  @Field(() => LinkStatus, { description: "Whether the login works." })
  status!: LinkStatus;

  @Field(() => GraphQLISODateTime, { description: "When the user linked the bank." })
  createdAt!: Date;

  linkId!: string;
  institutionId!: string;
}
