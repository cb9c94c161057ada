/**
 * The per-request context, created in one place: who is calling, the consent view, the access
 * recorder and the user's links with their loaders.
 */
import { randomUUID } from "node:crypto";
import type { Identity } from "../auth/identity.js";
import { AccessRecorder } from "../consent/access-recorder.js";
import { ConsentView } from "../consent/consent-view.js";
import type { ConsentGuardContext } from "../consent/requires-scopes.js";
import { CONSENT_MANAGE_SCOPE } from "../consent/scopes.js";
import { ErrorCode, GatewayError } from "../errors.js";
import { RequestLinks } from "../loaders/request-links.js";
import { REQUEST_ID } from "../observability/request-id.js";
import type { GatewayServices } from "./services.js";

export interface GatewayContext extends ConsentGuardContext {
  identity: Identity;
  requestId: string;
  services: GatewayServices;
  links: RequestLinks;
}

export async function createContext(services: GatewayServices, authorization: string | undefined, requestIdHeader?: string): Promise<GatewayContext> {
  const identity = await services.verifyToken(authorization);
  // Counted once the caller is known and before any work for them: RATE_LIMITED (429) ends here.
  await services.rateLimiter.consume(identity);
  const links = new RequestLinks(identity.userId, services);
  const consents = new ConsentView(() =>
    services.consents.effectiveConsents(identity.userId, identity.clientId, links.all().then((all) => all.map((l) => l.id))),
  );
  return {
    identity,
    requestId: requestIdHeader && REQUEST_ID.test(requestIdHeader) ? requestIdHeader : randomUUID(),
    services,
    links,
    consents,
    access: new AccessRecorder(),
  };
}

/** True when the token says the user is present (may link banks and decide on consents). */
export function userPresent(context: GatewayContext): boolean {
  return context.identity.tokenScopes.has(CONSENT_MANAGE_SCOPE);
}

export function requireUserPresent(context: GatewayContext, action: string): void {
  if (!userPresent(context)) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `Only the user can ${action}: use a token with the ${CONSENT_MANAGE_SCOPE} scope`);
  }
}
