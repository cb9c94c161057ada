import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
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

  @Field(() => Int, {
    nullable: true,
    description: "Place in the user's hash chain: 1, 2, 3, … without gaps. Null for entries written before the chain existed.",
  })
  seq!: number | null;

  @Field(() => String, { nullable: true, description: "Hash of the entry before it in the chain (64 zeros for seq 1). Null before the chain existed." })
  prevHash!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "SHA-256 (hex) over the entry's canonical encoding: its fields (with the raw link and consent ids inside linkId and consentId), seq and prevHash (docs/access-log.md). Null before the chain existed.",
  })
  hash!: string | null;
}

@ObjectType({
  description: "The gateway's signature over the point the user's access-log chain had reached: keep it to prove later that nothing was removed up to there.",
})
export class AccessLogHead {
  @Field(() => Int, { description: "The last entry the head covers." })
  seq!: number;

  @Field(() => String, { description: "That entry's hash." })
  hash!: string;

  @Field(() => GraphQLISODateTime, { description: "When the gateway signed it." })
  signedAt!: Date;

  @Field(() => String, {
    description: "Compact JWS (ES256, typ bankgraph-access-log-head+jws) over { userId, seq, hash, signedAt }; verify against /.well-known/jwks.json.",
  })
  jws!: string;
}

@ObjectType({ description: "A page of the access log, newest first." })
export class AccessLogConnection {
  @Field(() => [AccessLogEntry], { description: "The entries." })
  nodes!: AccessLogEntry[];

  @Field(() => PageInfo, { description: "Pagination state." })
  pageInfo!: PageInfo;
}
