import { Ctx, Query, Resolver } from "type-graphql";
import type { GatewayContext } from "../../request/gateway-context.js";
import { Institution } from "../types/institution.type.js";

@Resolver(() => Institution)
export class InstitutionResolver {
  @Query(() => [Institution], { description: "Every institution the gateway connects to, with its recent health." })
  institutions(@Ctx() context: GatewayContext): Institution[] {
    const { providers, health } = context.services;
    return providers.institutions.map((i) => ({ id: i.id, name: i.name, status: health.status(i.id) }));
  }
}

/** The Institution object for an institution ID (registry name, live health). */
export function institutionOf(context: GatewayContext, institutionId: string): Institution {
  const { providers, health } = context.services;
  const found = providers.institutions.find((i) => i.id === institutionId);
  return { id: institutionId, name: found?.name ?? institutionId, status: health.status(institutionId) };
}
