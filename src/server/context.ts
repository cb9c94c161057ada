/**
 * The per-request context (`GatewayContext`, `src/request/gateway-context.ts`), created in one
 * place: who is calling, the consent view, the access recorder and the user's links (whose bank
 * data only the bank gate reads).
 */
import { randomUUID } from "node:crypto";
import { AccessRecorder } from "../consent/access-recorder.js";
import { ConsentView } from "../consent/consent-view.js";
import { RequestLinks } from "../loaders/request-links.js";
import { REQUEST_ID } from "../observability/request-id.js";
import type { GatewayContext } from "../request/gateway-context.js";
import type { GatewayServices } from "../request/gateway-services.js";

export async function createContext(services: GatewayServices, authorization: string | undefined, requestIdHeader?: string): Promise<GatewayContext> {
  const identity = await services.verifyToken(authorization);
  // Counted once the caller is known and before any work for them: RATE_LIMITED (429) ends here.
  await services.rateLimiter.consume(identity);
  const links = new RequestLinks(identity.userId, services);
  const consents = new ConsentView(
    () =>
      services.consents.effectiveConsents(
        identity.userId,
        identity.clientId,
        links.all().then((all) => all.map((l) => l.id)),
      ),
    services.clock,
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
