/**
 * Step 5 — authenticate, rate-limit and create the context: the one place a request's context is
 * made. `createContext` serves an HTTP request and a WebSocket subscription alike;
 * `contextForEvent` gives every subscription event a context of its own (fresh consent view,
 * access recorder and loaders), so no event's state is ever swapped into a shared object.
 */
import { randomUUID } from "node:crypto";
import type { Identity } from "../../auth/identity.js";
import { AccessRecorder } from "../../consent/access-recorder.js";
import type { EffectiveConsent } from "../../consent/consent-service.js";
import { ConsentView } from "../../consent/consent-view.js";
import { RequestLinks } from "../../loaders/request-links.js";
import { REQUEST_ID, type GatewayContext } from "../context.js";
import type { GatewayServices } from "../services.js";

/** Who is calling; throws UNAUTHENTICATED for a missing, malformed, expired or wrongly signed bearer token. */
export function authenticate(services: GatewayServices, authorization: string | undefined): Promise<Identity> {
  return services.verifyToken(authorization);
}

/**
 * The context of one request (or one WebSocket subscription): authenticates, then counts the
 * request against the rate limits — RATE_LIMITED (HTTP 429) ends it there, before any work for the
 * caller — then builds the per-request state. `requestIdHeader` is kept when it is a safe id.
 */
export async function createContext(services: GatewayServices, authorization: string | undefined, requestIdHeader?: string): Promise<GatewayContext> {
  const identity = await authenticate(services, authorization);
  await services.rateLimiter.consume(identity);
  const links = new RequestLinks(identity.userId, services);
  return {
    identity,
    requestId: requestIdHeader && REQUEST_ID.test(requestIdHeader) ? requestIdHeader : randomUUID(),
    services,
    links,
    consents: consentViewFor(services, identity, links),
    access: new AccessRecorder(),
  };
}

/**
 * The context one subscription event executes with: the subscription's caller and request id,
 * with state of its own. `consents`: the consents just decided for this event, so the payload's
 * guarded fields are checked against that very decision; without them the view loads afresh.
 */
export function contextForEvent(base: GatewayContext, consents?: ReadonlyMap<string, EffectiveConsent>): GatewayContext {
  const { identity, services } = base;
  const links = new RequestLinks(identity.userId, services);
  return {
    identity,
    requestId: base.requestId,
    services,
    links,
    consents: consents ? new ConsentView(async () => new Map(consents)) : consentViewFor(services, identity, links),
    access: new AccessRecorder(),
  };
}

function consentViewFor(services: GatewayServices, identity: Identity, links: RequestLinks): ConsentView {
  return new ConsentView(() => services.consents.effectiveConsents(identity.userId, identity.clientId, links.all().then((all) => all.map((l) => l.id))));
}
