import { GraphQLLocalDate } from "./local-date.scalar.js";
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";
import { RequiresScopes, type LinkScoped } from "../../consent/requires-scopes.js";
import { TransactionStatus } from "../../domain/model.js";
import { Money } from "./money.type.js";
import { Node } from "./node.interface.js";
import { PageInfo } from "./page-info.type.js";

registerEnumType(TransactionStatus, {
  name: "TransactionStatus",
  description: "PENDING: authorized, not yet settled. POSTED: settled.",
});

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@ObjectType({ simpleResolvers: true, description: "Who was paid or who paid." })
export class Merchant {
  @Field(() => String, { description: "Merchant name." })
  name!: string;

  @Field(() => String, { nullable: true, description: "ISO 18245 merchant category code, where the bank sends one." })
  categoryCode!: string | null;
}

@RequiresScopes(["transactions:read"])
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A transaction. A purchase is never listed twice: when a posted transaction replaces a pending one, only the posted one is listed and it names the pending one in pendingTransactionId.",
})
export class Transaction implements Node, LinkScoped {
  @Field(() => ID, { description: "Opaque global ID." })
  id!: string;

  @Field(() => TransactionStatus, { description: "Pending or posted." })
  status!: TransactionStatus;

  @Field(() => Money, { description: "Signed amount: negative = money out of the account." })
  amount!: Money;

  @Field(() => String, { description: "The bank's description line." })
  description!: string;

  @Field(() => Merchant, { nullable: true, description: "The merchant, for card and wallet purchases." })
  merchant!: Merchant | null;

  @Field(() => String, { nullable: true, description: 'Spending category, e.g. "GROCERIES".' })
  category!: string | null;

  @Field(() => GraphQLLocalDate, { description: "Date the bank files it under: authorization date while pending, posting date once posted." })
  date!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Exact time, where the bank reports one." })
  timestamp!: Date | null;

  @Field(() => ID, { nullable: true, description: "On a posted transaction: global ID of the pending transaction it replaced (drop that one if you kept it)." })
  pendingTransactionId!: string | null;

  localId!: string;
  accountLocalId!: string;
  receiptLocalId!: string | null;
  linkId!: string;
  institutionId!: string;
}

@ObjectType({ simpleResolvers: true, description: "A transaction and its cursor." })
export class TransactionEdge {
  @Field(() => String, { description: "Pass as `after` to continue after this transaction." })
  cursor!: string;

  @Field(() => Transaction, { description: "The transaction." })
  node!: Transaction;
}

@ObjectType({ simpleResolvers: true, description: "A page of transactions, newest first." })
export class TransactionConnection {
  @Field(() => [TransactionEdge], { description: "Transactions with cursors." })
  edges!: TransactionEdge[];

  @Field(() => [Transaction], { description: "Transactions, without cursors." })
  nodes!: Transaction[];

  @Field(() => PageInfo, { description: "Pagination state." })
  pageInfo!: PageInfo;
}
