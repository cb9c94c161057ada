import { Field, GraphQLISODateTime, ID, ObjectType } from "type-graphql";
import { PageInfo } from "./page-info.type.js";

@ObjectType({ description: "One read of the user's data by an app: which bank, which scope, under which consent." })
export class AccessLogEntry {
  @Field(() => ID, { description: "Entry ID." })
  id!: string;

  @Field(() => GraphQLISODateTime, { description: "When the data was read." })
  at!: Date;

  @Field(() => String, { description: "The app that read it." })
  clientId!: string;

  @Field(() => ID, { description: "The institution read from." })
  institutionId!: string;

  @Field(() => ID, { description: "Global ID of the link read through." })
  linkId!: string;

  @Field(() => ID, { nullable: true, description: "Global ID of the consent that allowed it." })
  consentId!: string | null;

  @Field(() => String, { description: "The scope the data needed." })
  scope!: string;

  @Field(() => String, { description: "The consent's purpose." })
  purpose!: string;

  @Field(() => String, { nullable: true, description: "The GraphQL operation name, if the app sent one." })
  operationName!: string | null;

  @Field(() => String, { description: "The request ID (x-request-id)." })
  requestId!: string;
}

@ObjectType({ description: "A page of the access log, newest first." })
export class AccessLogConnection {
  @Field(() => [AccessLogEntry], { description: "The entries." })
  nodes!: AccessLogEntry[];

  @Field(() => PageInfo, { description: "Pagination state." })
  pageInfo!: PageInfo;
}
