import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { requireUserPresent, type GatewayContext } from "../../request/gateway-context.js";
import { pageComplexity } from "../complexity.js";
import { encodeGlobalId } from "../global-id.js";
import { AccessLogConnection, AccessLogHead } from "../types/access-log.type.js";

@Resolver()
export class AccessLogResolver {
  @Query(() => AccessLogConnection, {
    complexity: pageComplexity(20),
    description: "Every read of the user's bank data by any app, newest first. The user's own log only; user-present tokens only (consent:manage).",
  })
  async accessLog(
    @Ctx() context: GatewayContext,
    @Arg("first", () => Int, { defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after?: string | null,
  ): Promise<AccessLogConnection> {
    requireUserPresent(context, "read the access log");
    const page = await context.services.accessLog.listForUser(context.identity.userId, { first, after });
    return {
      nodes: page.items.map((e) => ({
        id: String(e.id),
        at: e.at,
        clientId: e.clientId,
        institutionId: e.institutionId,
        linkId: encodeGlobalId("Link", e.linkId),
        consentId: e.consentId ? encodeGlobalId("Consent", e.linkId, e.consentId) : null,
        scope: e.scope,
        purpose: e.purpose,
        operationName: e.operationName,
        requestId: e.requestId,
        seq: e.chain?.seq ?? null,
        prevHash: e.chain?.prevHash ?? null,
        hash: e.chain?.hash ?? null,
      })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: false, startCursor: null, endCursor: page.endCursor },
    };
  }

  @Query(() => AccessLogHead, {
    nullable: true,
    description:
      "The newest signed head of the user's access-log hash chain, signed now if the chain advanced since: it covers every entry written before the call. Null before the first entry. User-present tokens only (consent:manage).",
  })
  async accessLogHead(@Ctx() context: GatewayContext): Promise<AccessLogHead | null> {
    requireUserPresent(context, "read the access log");
    const head = await context.services.accessLogHeads.currentFor(context.identity.userId);
    return head && { seq: head.seq, hash: head.hash, signedAt: head.signedAt, jws: head.jws };
  }
}
