/**
 * What every resolver and transport sees of one request: who is calling, the consent view the
 * consent guard and the bank gate decide with, the access recorder, and the user's links (whose
 * bank data is read only through `openBank(context, …)`, src/loaders/bank-gate.ts). Made in one
 * place, the request pipeline (`createContext`, src/server/pipeline/request-context.ts; each
 * subscription event gets its own from `contextForEvent`, src/request/build-context.ts), and never
 * changed after: every field is readonly.
 */
import type { Identity } from "../auth/identity.js";
import type { AccessRecorder } from "../consent/access-recorder.js";
import type { ConsentView } from "../consent/consent-view.js";
import type { BankGateContext } from "../loaders/bank-gate.js";
import type { ConsentGuardContext } from "../consent/requires-scopes.js";
import { CONSENT_MANAGE_SCOPE } from "../consent/scopes.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { RequestLinks } from "../loaders/request-links.js";
import type { GatewayServices } from "./gateway-services.js";

/** The per-request context. */
export interface GatewayContext extends ConsentGuardContext, BankGateContext {
  readonly identity: Identity;
  readonly requestId: string;
  readonly services: GatewayServices;
  readonly links: RequestLinks;
  readonly consents: ConsentView;
  readonly access: AccessRecorder;
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

/**
 * Throws FORBIDDEN unless a consent may be decided through the API by this token: never by an
 * app's token (no consent:manage), and in production never at all — there the person decides on
 * Bankgraph's own pages (a connect session), so no token an app holds can authorize a consent.
 * The dev consent:manage token keeps working outside production, for tests and the playground.
 */
export function requireConsentDecisionAllowed(context: GatewayContext, action: string): void {
  if (context.services.config.production) {
    throw new GatewayError(
      ErrorCode.FORBIDDEN,
      `In production only the person can ${action}, on Bankgraph's connect pages: start a connect session with createConnectSession`,
      { reason: "CONSENT_DECIDED_ON_CONNECT_PAGES" },
    );
  }
  requireUserPresent(context, action);
}
