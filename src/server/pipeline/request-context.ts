/**
 * Step 5 — authenticate, rate-limit and create the context: the one place a request's context is
 * made, for an HTTP request and a WebSocket subscription alike. Each subscription event then gets
 * a context of its own from `contextForEvent` (src/request/build-context.ts, beside the
 * `buildContext` used here), so no event's state is ever swapped into a shared object.
 */
import { randomUUID } from "node:crypto";
import type { Identity } from "../../auth/identity.js";
import { buildContext } from "../../request/build-context.js";
import { REQUEST_ID } from "../../observability/request-id.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import type { GatewayServices } from "../../request/gateway-services.js";

/**
 * Who is calling; throws UNAUTHENTICATED for a missing, malformed, expired or wrongly signed bearer
 * token, and for a token whose client is not a registered app (the message names the fix).
 */
export async function authenticate(services: GatewayServices, authorization: string | undefined): Promise<Identity> {
  const identity = await services.verifyToken(authorization);
  await services.apps.requireRegistered(identity.clientId);
  return identity;
}

/**
 * The context of one request (or one WebSocket subscription): authenticates, then counts the
 * request against the rate limits — RATE_LIMITED (HTTP 429) ends it there, before any work for the
 * caller — then builds the per-request state. `requestIdHeader` is kept when it is a safe id.
 */
export async function createContext(services: GatewayServices, authorization: string | undefined, requestIdHeader?: string): Promise<GatewayContext> {
  const identity = await authenticate(services, authorization);
  await services.rateLimiter.consume(identity);
  return buildContext(services, identity, requestIdHeader && REQUEST_ID.test(requestIdHeader) ? requestIdHeader : randomUUID());
}
