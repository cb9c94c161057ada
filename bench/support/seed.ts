/**
 * Puts the bench users into a store through the gateway's own services: the bench app is
 * registered, each user links their banks (a real OAuth authorization: the mocks' driver logs in
 * on the bank's own pages, the gateway exchanges the code) and authorizes every scope. Targets without consent (the baselines) get the same links, so they read the same data.
 */
import { authorizeAsPerson } from "../../mocks/oauth/person-at-bank.js";
import { DAY_MS } from "../../src/clock.js";
import { ConsentPurpose, READ_SCOPES } from "../../src/domain/consent.js";
import { authorizeThroughBank, bankCallbackUri } from "../../src/links/bank-authorization.js";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import { BANK_PASSWORD, BENCH_CLIENT, type BenchUser } from "./population.js";

type SeedServices = Pick<GatewayServices, "clients" | "links" | "bankAuthorization" | "consents" | "clock">;

/**
 * The callback the mock banks have registered for Bankgraph by default (their dev registration):
 * the driver stops at the bank's redirect, so no gateway needs to listen there.
 */
const DEV_GATEWAY_ORIGIN = "http://127.0.0.1:4000";

/** Users seeded at once: enough to overlap bank logins with store writes. */
const PARALLEL_USERS = 4;
/** Authorizations are never retried by the gateway (not idempotent); seeding a busy machine retries them itself. */
const LINK_ATTEMPTS = 4;

/** Links and consents for each user; users who already have links are left alone (shared PostgreSQL). */
export async function seedBenchUsers(services: SeedServices, users: readonly BenchUser[]): Promise<void> {
  if (!(await services.clients.findById(BENCH_CLIENT.id))) {
    await services.clients.register({ ...BENCH_CLIENT, allowedPurposes: Object.values(ConsentPurpose) });
  }
  const queue = [...users];
  const worker = async () => {
    for (let user = queue.shift(); user; user = queue.shift()) await seedUser(services, user);
  };
  await Promise.all(Array.from({ length: PARALLEL_USERS }, worker));
}

async function seedUser(services: SeedServices, user: BenchUser): Promise<void> {
  if ((await services.links.listForUser(user.userId)).length > 0) return;
  await Promise.all(
    user.institutions.map(async (institutionId) => {
      const link = await linkWithRetry(services, user, institutionId);
      const consent = await services.consents.requestConsent({
        userId: user.userId,
        clientId: BENCH_CLIENT.id,
        linkId: link.id,
        scopes: [...READ_SCOPES],
        purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
        durationDays: 365,
      });
      await services.consents.authorize(consent.id, user.userId);
    }),
  );
}

async function linkWithRetry(services: SeedServices, user: BenchUser, institutionId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await authorizeThroughBank(
        services.bankAuthorization,
        async (authorizationUrl, redirectUri) =>
          (await authorizeAsPerson({ authorizationUrl, redirectUri, username: user.customer, password: BANK_PASSWORD })).location,
        {
          userId: user.userId,
          institutionId,
          scopes: [...READ_SCOPES],
          expiresAt: new Date(services.clock.now().getTime() + 365 * DAY_MS),
          redirectUri: bankCallbackUri(DEV_GATEWAY_ORIGIN, institutionId),
        },
      );
      if (outcome.status !== "LINKED") throw new Error(`${user.userId} could not link ${institutionId}: ${outcome.error}`);
      return outcome.link;
    } catch (error) {
      if (attempt >= LINK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
