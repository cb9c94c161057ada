/**
 * Puts the bench users into a store through the gateway's own services: the bench app is
 * registered, each user links their banks (a real login at the mock bank) and authorizes every
 * scope. Targets without consent (the baselines) get the same links, so they read the same data.
 */
import { ConsentPurpose, SCOPES } from "../../src/domain/consent.js";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import { BANK_PASSWORD, BENCH_CLIENT, type BenchUser } from "./population.js";

type SeedServices = Pick<GatewayServices, "clients" | "links" | "linking" | "consents">;

/** Users seeded at once: enough to overlap bank logins with store writes. */
const PARALLEL_USERS = 4;
/** Logins are never retried by the gateway (not idempotent); seeding a busy machine retries them itself. */
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
        scopes: [...SCOPES],
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
      return await services.linking.link(user.userId, institutionId, user.customer, BANK_PASSWORD);
    } catch (error) {
      if (attempt >= LINK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
