/**
 * How a request context is put together once the caller is known: the per-request state (links
 * with their loaders, consent view, access recorder) around an identity. No policy here —
 * authentication and rate limits run before, in the request pipeline
 * (src/server/pipeline/request-context.ts). This sits in the request layer so the schema's
 * subscription streams can give each event a context of its own without reaching up into server/.
 */
import type { Identity } from "../auth/identity.js";
import { AccessRecorder } from "../consent/access-recorder.js";
import type { EffectiveConsent } from "../consent/consent-service.js";
import { ConsentView } from "../consent/consent-view.js";
import { RequestLinks } from "../loaders/request-links.js";
import type { GatewayContext } from "./gateway-context.js";
import type { GatewayServices } from "./gateway-services.js";

/** A fresh context for `identity`; `consents`, when given, are the consents already decided (not loaded again). */
export function buildContext(
  services: GatewayServices,
  identity: Identity,
  requestId: string,
  consents?: ReadonlyMap<string, EffectiveConsent>,
): GatewayContext {
  if (consents) {
    const links = new RequestLinks(identity.userId, services);
    return { identity, requestId, services, links, consents: new ConsentView(async () => new Map(consents), services.clock), access: new AccessRecorder() };
  }
  // Links and consents in one store statement, read when either is first needed (never for `{ __typename }`).
  let read: ReturnType<GatewayServices["consents"]["linksAndEffectiveConsents"]> | undefined;
  const records = () => (read ??= services.consents.linksAndEffectiveConsents(identity.userId, identity.clientId));
  const links = new RequestLinks(identity.userId, services, async () => (await records()).links);
  const view = new ConsentView(async () => (await records()).consents, services.clock);
  return { identity, requestId, services, links, consents: view, access: new AccessRecorder() };
}

/**
 * The context one subscription event executes with: the subscription's caller and request id,
 * with state of its own — so no event's state is ever swapped into a shared object. `consents`:
 * the consents just decided for this event, so the payload's guarded fields are checked against
 * that very decision; without them the view loads afresh.
 */
export function contextForEvent(base: GatewayContext, consents?: ReadonlyMap<string, EffectiveConsent>): GatewayContext {
  return buildContext(base.services, base.identity, base.requestId, consents);
}
