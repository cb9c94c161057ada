import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConsentActor, ConsentEventType, ConsentPurpose, ConsentStatus } from "../../domain/consent.js";
import { Node } from "./node.interface.js";
import { PageInfo } from "./page-info.type.js";

registerEnumType(ConsentStatus, {
  name: "ConsentStatus",
  description: "Consent lifecycle state (UK Open Banking / FDX). EXPIRED is derived from the clock on every read.",
});
registerEnumType(ConsentPurpose, {
  name: "ConsentPurpose",
  description: "Why the app reads the data. Advertising, marketing and resale of data are not purposes (CFPB 1033) and are refused.",
});
registerEnumType(ConsentActor, { name: "ConsentActor", description: "Who made a consent change." });
registerEnumType(ConsentEventType, { name: "ConsentEventType", description: "What changed." });

@ObjectType({ implements: Node, description: "What one app may read from one linked bank, for what purpose, until when." })
export class Consent implements Node {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;

  @Field(() => String, { description: "The app (client) the consent is for." })
  clientId!: string;

  @Field(() => [String], {
    description:
      "Scopes asked for (and granted once AUTHORIZED): accounts:read, balances:read, transactions:read, receipts:read, identity:read, alerts:read, payments:write.",
  })
  scopes!: string[];

  @Field(() => ConsentPurpose, { description: "Why the app reads the data." })
  purpose!: ConsentPurpose;

  @Field(() => ConsentStatus, { description: "State now." })
  status!: ConsentStatus;

  @Field(() => Int, { description: "Validity from authorization, in days (at most 365)." })
  durationDays!: number;

  @Field(() => Int, { nullable: true, description: "How many days of transaction history the app may read; null = all the bank offers." })
  historyDays!: number | null;

  @Field(() => GraphQLISODateTime, { description: "When the app asked." })
  requestedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the user authorized." })
  authorizedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When it stops granting anything." })
  expiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When it was revoked." })
  revokedAt!: Date | null;

  localId!: string;
  linkId!: string;
}

@ObjectType({ description: "One change in a consent's life." })
export class ConsentEvent {
  @Field(() => ID, { description: "Event ID." })
  id!: string;

  @Field(() => ID, { description: "Global ID of the consent." })
  consentId!: string;

  @Field(() => ConsentEventType, { description: "What changed." })
  type!: ConsentEventType;

  @Field(() => ConsentActor, { description: "Who changed it." })
  actor!: ConsentActor;

  @Field(() => GraphQLISODateTime, { description: "When." })
  at!: Date;
}

@ObjectType({ description: "A page of consent events, oldest first." })
export class ConsentEventConnection {
  @Field(() => [ConsentEvent], { description: "The events." })
  nodes!: ConsentEvent[];

  @Field(() => PageInfo, { description: "Pagination state." })
  pageInfo!: PageInfo;
}
