/**
 * Demo data for `npm start`: the `messenger-demo` app, and alice with all six banks linked and
 * consents that show enforcement on the very first query — her Citi consent lacks
 * transactions:read, her American Express consent has expired. Idempotent: does nothing once
 * alice has links.
 */
import { DAY_MS, type Clock } from "../clock.js";
import { ConsentService } from "../consent/consent-service.js";
import { ConsentPurpose, SCOPES, type Scope } from "../domain/consent.js";
import type { GatewayServices } from "../request/gateway-services.js";

export const DEMO_CLIENT = { id: "messenger-demo", name: "Messenger (demo)" };
/** Where the demo app (its page at /demo-app/, served by the gateway for the demo) receives the person back. */
export const DEMO_APP_CALLBACK_PATH = "/demo-app/callback";
export const DEMO_USER = "alice";
export const DEMO_PASSWORD = "pass_good";

const ALL_SCOPES: Scope[] = [...SCOPES];
const SCOPES_BY_INSTITUTION: Record<string, Scope[]> = {
  citi: ALL_SCOPES.filter((s) => s !== "transactions:read"),
};
/** Institutions whose demo consent was granted a year ago and has lapsed. */
const EXPIRED = new Set(["amex"]);

export async function seedDemo(services: GatewayServices): Promise<{ seeded: boolean }> {
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
    const link = await services.linking.link(DEMO_USER, institution.id, DEMO_USER, DEMO_PASSWORD);
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
