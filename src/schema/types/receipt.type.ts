import { GraphQLLocalDate } from "./local-date.scalar.js";
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { RequiresScopes, type LinkScoped } from "../../consent/requires-scopes.js";
import { ShipmentStatus } from "../../domain/model.js";
import { Money } from "./money.type.js";
import { Node } from "./node.interface.js";

registerEnumType(ShipmentStatus, { name: "ShipmentStatus", description: "Where a shipment is." });

@ObjectType({ description: "One line of a receipt." })
export class LineItem {
  @Field(() => String, { description: "What was bought." })
  description!: string;

  @Field(() => Int, { description: "How many." })
  quantity!: number;

  @Field(() => Money, { description: "Price of one." })
  unitPrice!: Money;

  @Field(() => Money, { description: "quantity × unitPrice." })
  total!: Money;

  @Field(() => String, { nullable: true, description: "The merchant's stock-keeping unit." })
  sku!: string | null;
}

@ObjectType({ description: "A carrier scan or status change." })
export class ShipmentUpdate {
  @Field(() => ShipmentStatus, { description: "Status reached." })
  status!: ShipmentStatus;

  @Field(() => GraphQLISODateTime, { description: "When." })
  at!: Date;

  @Field(() => String, { nullable: true, description: "Where, if the carrier says." })
  location!: string | null;

  @Field(() => String, { nullable: true, description: "Carrier's note, e.g. why delivery failed." })
  message!: string | null;
}

@ObjectType({ description: "The delivery of what a receipt lists." })
export class Shipment {
  @Field(() => String, { description: 'Carrier, e.g. "UPS".' })
  carrier!: string;

  @Field(() => String, { description: "Carrier tracking number." })
  trackingNumber!: string;

  @Field(() => ShipmentStatus, { description: "Latest status." })
  status!: ShipmentStatus;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Estimated delivery date." })
  estimatedDelivery!: string | null;

  @Field(() => [ShipmentUpdate], { description: "Status history, oldest first." })
  updates!: ShipmentUpdate[];
}

@RequiresScopes(["receipts:read"])
@ObjectType({ implements: Node, description: "An itemized receipt for a purchase, with its shipment. Needs receipts:read." })
export class Receipt implements Node, LinkScoped {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;

  @Field(() => String, { description: "Merchant name." })
  merchantName!: string;

  @Field(() => GraphQLISODateTime, { description: "When the receipt was issued." })
  issuedAt!: Date;

  @Field(() => [LineItem], { description: "What was bought." })
  items!: LineItem[];

  @Field(() => Money, { description: "Sum of the items." })
  subtotal!: Money;

  @Field(() => Money, { nullable: true, description: "Tax, where itemized." })
  tax!: Money | null;

  @Field(() => Money, { description: "What was charged." })
  total!: Money;

  @Field(() => Shipment, { nullable: true, description: "Shipment of the goods, if shipped." })
  shipment!: Shipment | null;

  @Field(() => ID, { description: "Global ID of the transaction this receipt belongs to." })
  transactionId!: string;

  localId!: string;
  linkId!: string;
  institutionId!: string;
}
