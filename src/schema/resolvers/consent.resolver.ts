import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { ConsentStatus, PAYMENTS_WRITE } from "../../domain/consent.js";
import { toPaymentLimits } from "../mapping/payment-to-graphql.js";
import { PaymentLimits } from "../types/payment.type.js";
import { badInput, notFound } from "../../errors.js";
import { requireConsentDecisionAllowed, requireUserPresent, userPresent, type GatewayContext } from "../../request/gateway-context.js";
import { pageComplexity } from "../complexity.js";
import { decodeGlobalId, encodeGlobalId } from "../global-id.js";
import { visibleConsent } from "../lookup.js";
import { toConsent, toLink } from "../mapping/to-graphql.js";
import { RequestConsentInput } from "../types/consent.input.js";
import { Consent, ConsentEventConnection } from "../types/consent.type.js";
import { ConsentReceipt, type ConsentReceiptEvent } from "../types/consent-receipt.type.js";
import { decodeConsentReceipt } from "../../receipts/consent-receipt.js";
import { receiptLines } from "../../receipts/receipt-words.js";
import { Link } from "../types/link.type.js";
import { linkIdOf } from "./link.resolver.js";

function consentIdOf(globalId: string): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded?.kind !== "Consent" || decoded.parts.length !== 2) throw notFound("Consent");
  return decoded.parts[1]!;
}

@Resolver(() => Consent)
export class ConsentResolver {
  @Query(() => [Consent], { description: "Consents: the calling app's own; all of the user's with a user-present token." })
  async consents(
    @Ctx() context: GatewayContext,
    @Arg("status", () => [ConsentStatus], { nullable: true, description: "Only these (effective) statuses." }) status?: ConsentStatus[] | null,
  ): Promise<Consent[]> {
    const list = await context.services.consents.listForUser(context.identity.userId, {
      clientId: userPresent(context) ? undefined : context.identity.clientId,
      status: status ?? undefined,
    });
    return list.map(toConsent);
  }

  @Query(() => ConsentEventConnection, {
    complexity: pageComplexity(20),
    description:
      "The history of the user's consents, oldest first (the order it happened). User-present tokens see all; an app sees events of its own consents.",
  })
  async consentEvents(
    @Ctx() context: GatewayContext,
    @Arg("consentId", () => ID, { nullable: true, description: "Only this consent's events." }) consentId?: string | null,
    @Arg("first", () => Int, { defaultValue: 20, description: "Page size, 1 to 100." }) first = 20,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after?: string | null,
  ): Promise<ConsentEventConnection> {
    const localId = consentId ? consentIdOf(consentId) : undefined;
    if (!localId) requireUserPresent(context, "list every consent event");
    else if (!visibleConsent(context, (await context.services.consents.getForUser(localId, context.identity.userId)).clientId)) throw notFound("Consent");
    const page = await context.services.consents.listEvents(context.identity.userId, { first, after, consentId: localId });
    return {
      nodes: page.items.map((e) => ({ id: String(e.id), consentId: encodeGlobalId("Consent", e.linkId, e.consentId), type: e.type, actor: e.actor, at: e.at })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: false, startCursor: null, endCursor: page.endCursor },
    };
  }

  @FieldResolver(() => [ConsentReceipt], {
    description:
      "The consent's signed receipts, oldest first: one per authorization, renewal, revocation and expiry. The person's own; an app sees its own consents' only.",
  })
  async receipts(@Root() consent: Consent, @Ctx() context: GatewayContext): Promise<ConsentReceipt[]> {
    const { userId } = context.identity;
    const own = await context.services.consents.getForUser(consent.localId, userId);
    if (!visibleConsent(context, own.clientId)) throw notFound("Consent");
    const stored = await context.services.receipts.listForPerson(consent.localId, userId);
    return stored.map((r) => {
      const receipt = decodeConsentReceipt(r.jws);
      return {
        id: r.id,
        event: r.event as ConsentReceiptEvent,
        issuedAt: r.issuedAt,
        keyId: r.kid,
        jws: r.jws,
        disclosureSha256: receipt.disclosureSha256,
        lines: receiptLines(receipt),
      };
    });
  }

  @FieldResolver(() => PaymentLimits, { nullable: true, description: "With payments:write: the limits the person chose. Null otherwise." })
  async paymentLimits(@Root() consent: Consent, @Ctx() context: GatewayContext): Promise<PaymentLimits | null> {
    if (!consent.scopes.includes(PAYMENTS_WRITE)) return null;
    const limits = await context.services.payments.limitsOf(consent.localId);
    return limits && toPaymentLimits(consent.linkId, limits);
  }

  @FieldResolver(() => Link, { nullable: true, description: "The link the consent covers (null once unlinked)." })
  async link(@Root() consent: Consent, @Ctx() context: GatewayContext): Promise<Link | null> {
    const link = await context.links.byId(consent.linkId);
    return link ? toLink(link) : null;
  }

  @Mutation(() => Consent, { description: "The app asks the user for consent on a link. Starts AWAITING_AUTHORIZATION; only the user can authorize it." })
  async requestConsent(@Arg("input", () => RequestConsentInput) input: RequestConsentInput, @Ctx() context: GatewayContext): Promise<Consent> {
    if (input.scopes.length > 16) throw badInput("Too many scopes");
    const consent = await context.services.consents.requestConsent({
      userId: context.identity.userId,
      clientId: context.identity.clientId,
      linkId: linkIdOf(input.linkId),
      scopes: input.scopes,
      purpose: input.purpose,
      durationDays: input.durationDays,
      historyDays: input.historyDays ?? null,
      paymentLimits: input.paymentLimits ?? null,
    });
    return toConsent(consent);
  }

  @Mutation(() => Consent, {
    description:
      "The user authorizes a consent request. Development and tests only, with the user-present consent:manage token; an app's token is refused, and in production a consent is authorized only on Bankgraph's connect pages (createConnectSession).",
  })
  async authorizeConsent(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Consent> {
    requireConsentDecisionAllowed(context, "authorize a consent");
    return toConsent(await context.services.consents.authorize(consentIdOf(id), context.identity.userId));
  }

  @Mutation(() => Consent, {
    description:
      "The user renews one of their AUTHORIZED consents: same id, link, scopes, purpose, accounts and history window; expiresAt becomes now + its durationDays; a RENEWED consent event, and the app is told (consentRenewed, CONSENT_RENEWED). Never wider: more scopes, another purpose or more accounts is a new consent. Refused to an app's token and, in production, through the API at all (the person renews on /connections). LOGIN_REQUIRED (reason RECONNECT_AT_BANK) when the bank's grant no longer holds; CONSENT_INVALID when the consent is not AUTHORIZED (an expired one needs a new consent).",
  })
  async renewConsent(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Consent> {
    requireConsentDecisionAllowed(context, "renew a consent");
    return toConsent(await context.services.consents.renew(consentIdOf(id), context.identity.userId));
  }

  @Mutation(() => Consent, { description: "The user rejects a consent request. User-present tokens only." })
  async rejectConsent(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Consent> {
    requireConsentDecisionAllowed(context, "reject a consent");
    return toConsent(await context.services.consents.reject(consentIdOf(id), context.identity.userId));
  }

  @Mutation(() => Consent, {
    description: "Revokes a consent (or withdraws a request): the user any of theirs, an app its own. Effective on the very next request.",
  })
  async revokeConsent(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Consent> {
    const { userId, clientId } = context.identity;
    const by = userPresent(context) ? { userId } : { userId, clientId };
    return toConsent(await context.services.consents.revoke(consentIdOf(id), by));
  }
}
