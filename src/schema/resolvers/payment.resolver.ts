import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { badInput, ErrorCode, GatewayError } from "../../errors.js";
import type { PaymentView } from "../../payments/payment-service.js";
import { userPresent, type GatewayContext } from "../../request/gateway-context.js";
import { pageComplexity } from "../complexity.js";
import { recordPaymentAccess, toPayment } from "../mapping/payment-to-graphql.js";
import { CreatePaymentIntentInput } from "../types/payment.input.js";
import { Payment, PaymentConnection, PaymentStatusChange } from "../types/payment.type.js";

const MAX_PAGE = 100;

/** Payments are an app's: started with its own token for the person, never with a user-present one. */
function appCaller(context: GatewayContext) {
  if (userPresent(context)) {
    throw new GatewayError(ErrorCode.FORBIDDEN, "Payments are started and read with an app's own token; the person confirms them on Bankgraph's page");
  }
  return { userId: context.identity.userId, clientId: context.identity.clientId };
}

async function delivered(context: GatewayContext, views: PaymentView[]): Promise<Payment[]> {
  await recordPaymentAccess(context, views);
  return views.map(toPayment);
}

const encodeCursor = (p: Payment) => Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.id])).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== "string" || Number.isNaN(createdAt.getTime())) throw new Error("bad cursor");
    return { createdAt, id };
  } catch {
    throw badInput("after is not a cursor of payments", { field: "after" });
  }
}

/**
 * Payments (issue 16), the app's side: start one, cancel it while the person has not confirmed it,
 * read them. Every mutation is idempotent per person and key; every payment read or created is on
 * the person's access log (scope payments:write). The person confirms on Bankgraph's page.
 */
@Resolver(() => Payment)
export class PaymentResolver {
  @Mutation(() => Payment, {
    description:
      "Starts a payment for the person from one of their accounts. Checks the app's consent (payments:write on the account's link, within the limits the person chose: per payment, per rolling 24 hours in amount and count, allowed accounts, end date), the payee and, where the bank says, the funds. APPROVED: status REQUIRES_CONFIRMATION and a confirmationUrl for the person (expires in minutes). DECLINED: declineReason LIMIT_REACHED, INSUFFICIENT_FUNDS or RISK. Refused with PAYMENT_NOT_ALLOWED (nothing stored, no bank call) when the app may not start it at all. Idempotent per idempotencyKey.",
  })
  async createPaymentIntent(@Arg("input", () => CreatePaymentIntentInput) input: CreatePaymentIntentInput, @Ctx() context: GatewayContext): Promise<Payment> {
    const view = await context.services.payments.create(appCaller(context), input);
    return (await delivered(context, [view]))[0]!;
  }

  @Mutation(() => Payment, {
    description:
      "Cancels one of this app's payments while it still awaits the person (REQUIRES_CONFIRMATION); CONFLICT (reason NOT_CANCELLABLE) once confirmed or ended. Idempotent per idempotencyKey.",
  })
  async cancelPaymentIntent(
    @Arg("id", () => ID) id: string,
    @Arg("idempotencyKey", () => String, { description: "As for createPaymentIntent; scoped to this mutation." }) idempotencyKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<Payment> {
    const view = await context.services.payments.cancel(appCaller(context), id, idempotencyKey);
    return (await delivered(context, [view]))[0]!;
  }

  @Query(() => Payment, { description: "One of this app's payments for the person, as it is now; NOT_FOUND for anyone else's." })
  async payment(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Payment> {
    return (await delivered(context, [await context.services.payments.get(appCaller(context), id)]))[0]!;
  }

  @Query(() => PaymentConnection, { complexity: pageComplexity(20), description: "This app's payments for the person, newest first." })
  async payments(
    @Ctx() context: GatewayContext,
    @Arg("first", () => Int, { defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after?: string | null,
  ): Promise<PaymentConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`);
    const views = await context.services.payments.list(appCaller(context), first, after ? decodeCursor(after) : null);
    const nodes = await delivered(context, views.slice(0, first));
    return {
      nodes,
      pageInfo: {
        hasNextPage: views.length > first,
        hasPreviousPage: false,
        startCursor: nodes[0] ? encodeCursor(nodes[0]) : null,
        endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!) : null,
      },
    };
  }

  @FieldResolver(() => [PaymentStatusChange], { description: "Every status the payment took, oldest first." })
  async statusHistory(@Root() payment: Payment, @Ctx() context: GatewayContext): Promise<PaymentStatusChange[]> {
    return context.services.payments.history(payment.localId);
  }
}
