/**
 * What every resolver and transport sees of one request: who is calling, the consent view the
 * consent guard and the bank gate decide with, the access recorder, and the user's links (whose
 * bank data is read only through `openBank(context, …)`, src/loaders/bank-gate.ts). Created by
 * `createContext` (`src/server/context.ts`).
 */
import type { Identity } from "../auth/identity.js";
import type { AccessRecorder } from "../consent/access-recorder.js";
import type { BankGateContext } from "../loaders/bank-gate.js";
import type { ConsentGuardContext } from "../consent/requires-scopes.js";
import { CONSENT_MANAGE_SCOPE } from "../consent/scopes.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { RequestLinks } from "../loaders/request-links.js";
import type { GatewayServices } from "./gateway-services.js";

/** The per-request context. */
export interface GatewayContext extends ConsentGuardContext, BankGateContext {
  identity: Identity;
  requestId: string;
  services: GatewayServices;
  links: RequestLinks;
  access: AccessRecorder;
}

/** True when the token says the user is present (may link banks and decide on consents). */
export function userPresent(context: GatewayContext): boolean {
  return context.identity.tokenScopes.has(CONSENT_MANAGE_SCOPE);
}

/** Throws FORBIDDEN unless the user is present (see {@link userPresent}); `action` names what was refused. */
export function requireUserPresent(context: GatewayContext, action: string): void {
  if (!userPresent(context)) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `Only the user can ${action}: use a token with the ${CONSENT_MANAGE_SCOPE} scope`);
  }
}
