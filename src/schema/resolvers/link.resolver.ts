import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { openBank } from "../../loaders/bank-gate.js";
import { RequiresScopes } from "../../consent/requires-scopes.js";
import { badInput } from "../../errors.js";
import { requireUserPresent, type GatewayContext } from "../../request/gateway-context.js";
import { listComplexity } from "../complexity.js";
import { decodeGlobalId } from "../global-id.js";
import { visibleConsent } from "../lookup.js";
import { toAccount, toConsent, toLink } from "../mapping/to-graphql.js";
import { Account } from "../types/account.type.js";
import { Consent } from "../types/consent.type.js";
import { Institution } from "../types/institution.type.js";
import { Link } from "../types/link.type.js";
import { institutionOf } from "./institution.resolver.js";

/** The link ID inside a Link global ID; BAD_USER_INPUT for anything else. */
export function linkIdOf(globalId: string): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded?.kind !== "Link" || decoded.parts.length !== 1) throw badInput("Not a Link ID");
  return decoded.parts[0]!;
}

@Resolver(() => Link)
export class LinkResolver {
  @Query(() => [Link], { complexity: listComplexity, description: "The user's linked institutions." })
  async links(@Ctx() context: GatewayContext): Promise<Link[]> {
    return (await context.links.all()).map(toLink);
  }

  @FieldResolver(() => Institution, { description: "The institution." })
  institution(@Root() link: Link, @Ctx() context: GatewayContext): Institution {
    return institutionOf(context, link.institutionId);
  }

  @RequiresScopes(["accounts:read"])
  @FieldResolver(() => [Account], {
    nullable: true,
    complexity: listComplexity,
    description:
      "The accounts at this institution. Null with an error (INSTITUTION_DOWN, LOGIN_REQUIRED, …) when the bank cannot answer; the other links are unaffected.",
  })
  async accounts(@Root() link: Link, @Ctx() context: GatewayContext): Promise<Account[] | null> {
    const accounts = await openBank(context, link, "accounts:read", "Link.accounts");
    return accounts ? (await accounts.accounts()).map((a) => toAccount(accounts.link, a)) : null;
  }

  @FieldResolver(() => [Consent], { description: "Consents on this link: the calling app's own, or all of them for the user." })
  async consents(@Root() link: Link, @Ctx() context: GatewayContext): Promise<Consent[]> {
    const consents = await context.services.consents.listForUser(context.identity.userId, { linkId: link.linkId });
    return consents.filter((c) => visibleConsent(context, c.clientId)).map(toConsent);
  }

  @Mutation(() => Link, { description: "Unlinks a bank: revokes every consent on the link and deletes its token. User-present tokens only." })
  async unlinkInstitution(@Arg("linkId", () => ID) linkId: string, @Ctx() context: GatewayContext): Promise<Link> {
    requireUserPresent(context, "unlink a bank");
    return toLink(await context.services.linking.unlink(context.identity.userId, linkIdOf(linkId)));
  }
}
