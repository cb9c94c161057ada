/**
 * Demo data for `npm start`: the `messenger-demo` app, and alice with all six banks linked —
 * through each bank's own OAuth pages, walked by `alice` (the serve command hands in the mocks'
 * driver; Bankgraph never sees her bank password) — and consents that show enforcement on the very
 * first query: her Citi consent lacks transactions:read, her American Express consent has expired.
 * Idempotent: does nothing once alice has links.
 */
import { DAY_MS, type Clock } from "../clock.js";
import { ConsentService } from "../consent/consent-service.js";
import { ConsentPurpose, READ_SCOPES, SCOPES, type Scope } from "../domain/consent.js";
import { authorizeThroughBank, bankCallbackUri, type PersonAtBank } from "../links/bank-authorization.js";
import type { GatewayServices } from "../request/gateway-services.js";

export const DEMO_CLIENT = { id: "messenger-demo", name: "Messenger (demo)" };
/** Where the demo app (its page at /demo-app/, served by the gateway for the demo) receives the person back. */
export const DEMO_APP_CALLBACK_PATH = "/demo-app/callback";
export const DEMO_USER = "alice";

/** alice's demo consents read; sending money is asked for on its own, with the limits she chooses (docs/payments.md). */
const ALL_SCOPES: Scope[] = [...READ_SCOPES];
const SCOPES_BY_INSTITUTION: Record<string, Scope[]> = {
  citi: ALL_SCOPES.filter((s) => s !== "transactions:read"),
};
/** Institutions whose demo consent was granted a year ago and has lapsed. */
const EXPIRED = new Set(["amex"]);

export interface DemoSeedOptions {
  /** alice at each bank's own pages. */
  alice: PersonAtBank;
  /** The gateway's origin: the banks send alice back to its callback. */
  gatewayOrigin: string;
}

export async function seedDemo(services: GatewayServices, options: DemoSeedOptions): Promise<{ seeded: boolean }> {
  // Registered on every start: the redirect URI follows the address the gateway is reached at.
  await services.apps.register({
    id: DEMO_CLIENT.id,
    displayName: DEMO_CLIENT.name,
    legalName: "Messenger Demo Inc.",
    allowedPurposes: Object.values(ConsentPurpose),
    allowedScopes: [...SCOPES],
    redirectUris: [`${services.connectSessions.baseUrl}${DEMO_APP_CALLBACK_PATH}`],
  });
  if ((await services.links.listForUser(DEMO_USER)).length > 0) return { seeded: false };

  for (const institution of services.providers.institutions) {
    const outcome = await authorizeThroughBank(services.bankAuthorization, options.alice, {
      userId: DEMO_USER,
      institutionId: institution.id,
      scopes: ALL_SCOPES,
      expiresAt: new Date(services.clock.now().getTime() + 365 * DAY_MS),
      redirectUri: bankCallbackUri(options.gatewayOrigin, institution.id),
    });
    if (outcome.status !== "LINKED") throw new Error(`demo: alice did not link ${institution.id} (${outcome.error})`);
    const { link } = outcome;
    const expired = EXPIRED.has(institution.id);
    const consents = expired ? new ConsentService({ db: services.db, clock: shifted(services.clock, -366 * DAY_MS) }) : services.consents;
    const consent = await consents.requestConsent({
      userId: DEMO_USER,
      clientId: DEMO_CLIENT.id,
      linkId: link.id,
      scopes: SCOPES_BY_INSTITUTION[institution.id] ?? ALL_SCOPES,
      purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
      durationDays: 365,
    });
    await consents.authorize(consent.id, DEMO_USER);
  }
  return { seeded: true };
}

function shifted(clock: Clock, byMs: number): Clock {
  return { now: () => new Date(clock.now().getTime() + byMs) };
}
