import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";

/** What a receipt records (src/receipts/consent-receipt.ts RECEIPT_EVENTS). */
export enum ConsentReceiptEvent {
  AUTHORIZED = "AUTHORIZED",
  RENEWED = "RENEWED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
}

registerEnumType(ConsentReceiptEvent, { name: "ConsentReceiptEvent", description: "The consent change a receipt records." });

@ObjectType({ description: "One line of a receipt in plain words, as the receipt page and `bankgraph verify-receipt` show it." })
export class ConsentReceiptLine {
  @Field(() => String, { description: "What the line is about, e.g. Purpose." })
  label!: string;

  @Field(() => String, { description: "What the receipt says." })
  value!: string;
}

@ObjectType({
  description:
    "A signed consent receipt: a compact JWS (ES256, typ bankgraph-consent-receipt+jws) anyone can verify against /.well-known/jwks.json (docs/receipts.md).",
})
export class ConsentReceipt {
  @Field(() => ID, { description: "The receipt's id (its receiptId)." })
  id!: string;

  @Field(() => ConsentReceiptEvent, { description: "The change it records." })
  event!: ConsentReceiptEvent;

  @Field(() => GraphQLISODateTime, { description: "When it was issued (the moment of the change)." })
  issuedAt!: Date;

  @Field(() => String, { description: "The signing key's id (kid) in /.well-known/jwks.json." })
  keyId!: string;

  @Field(() => String, { description: "The receipt itself, as a compact JWS." })
  jws!: string;

  @Field(() => String, { nullable: true, description: "SHA-256 (hex) of the disclosure text the person read; null when agreed outside Bankgraph's pages." })
  disclosureSha256!: string | null;

  @Field(() => [ConsentReceiptLine], { description: "What it says, line by line, in plain words." })
  lines!: ConsentReceiptLine[];
}
