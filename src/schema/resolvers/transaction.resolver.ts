import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { RequiresScopes } from "../../consent/requires-scopes.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { findAccount, findReceipt } from "../lookup.js";
import { Account } from "../types/account.type.js";
import { Receipt } from "../types/receipt.type.js";
import { Transaction } from "../types/transaction.type.js";

@Resolver(() => Transaction)
export class TransactionResolver {
  // Guarded on the field, not only through the Receipt type: the type's guard would run after the bank was asked.
  @RequiresScopes(["receipts:read"])
  @FieldResolver(() => Receipt, { nullable: true, description: "The itemized receipt for this purchase, where the bank has one. Needs receipts:read." })
  receipt(@Root() transaction: Transaction, @Ctx() context: GatewayContext): Promise<Receipt | null> | null {
    return transaction.receiptLocalId ? findReceipt(context, transaction.linkId, transaction.receiptLocalId) : null;
  }

  @FieldResolver(() => Account, { nullable: true, description: "The account the transaction belongs to." })
  account(@Root() transaction: Transaction, @Ctx() context: GatewayContext): Promise<Account | null> {
    return findAccount(context, transaction.linkId, transaction.accountLocalId);
  }
}
