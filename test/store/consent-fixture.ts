/**
 * Shared setup for the consent service suites: a migrated database, a manual clock, two
 * registered clients and helpers to make users, links and requests.
 */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { ConsentService } from "../../src/consent/consent-service.js";
import { ConsentPurpose, type Consent } from "../../src/domain/consent.js";
import type { ConsentRequestInput } from "../../src/consent/lifecycle.js";
import { GatewayError, type ErrorCode } from "../../src/errors.js";
import { ClientRepository } from "../../src/store/client-repository.js";
import type { ConsentEvent } from "../../src/store/consent-event-repository.js";
import type { Database } from "../../src/store/database.js";
import type { Link } from "../../src/domain/link.js";
import { LinkRepository } from "../../src/store/link-repository.js";
import type { StoreBackend } from "../support/databases.js";

export const T0 = new Date("2025-01-01T00:00:00.000Z");
export const CLIENT = "messenger-demo";
export const OTHER_CLIENT = "budget-app";

export interface ConsentFixture {
  db: Database;
  clock: ManualClock;
  service: ConsentService;
  links: LinkRepository;
  newUser(): string;
  newLink(userId: string, institutionId?: string): Promise<Link>;
  request(userId: string, linkId: string, patch?: Partial<ConsentRequestInput>): Promise<Consent>;
  /** All of a user's events (oldest first), optionally of one consent. */
  events(userId: string, consentId?: string): Promise<ConsentEvent[]>;
}

export async function openConsentFixture(backend: StoreBackend): Promise<ConsentFixture> {
  const db = await backend.open();
  const clock = new ManualClock(T0);
  const clients = new ClientRepository(db, clock);
  await clients.register({
    id: CLIENT,
    name: "Messenger",
    allowedPurposes: [ConsentPurpose.ACCOUNT_OVERVIEW, ConsentPurpose.RECEIPTS_AND_SHIPPING, ConsentPurpose.FRAUD_PROTECTION],
  });
  await clients.register({ id: OTHER_CLIENT, name: "Budget", allowedPurposes: [ConsentPurpose.PERSONAL_FINANCE_MANAGEMENT] });
  const service = new ConsentService({ db, clock });
  const links = new LinkRepository(db, clock);
  return {
    db,
    clock,
    service,
    links,
    newUser: () => `user-${randomUUID()}`,
    newLink: (userId, institutionId = "chase") => links.create(userId, institutionId, "v1.ciphertext"),
    request: (userId, linkId, patch = {}) =>
      service.requestConsent({
        userId,
        clientId: CLIENT,
        linkId,
        scopes: ["accounts:read", "balances:read"],
        purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
        durationDays: 30,
        ...patch,
      }),
    async events(userId, consentId) {
      const page = await service.listEvents(userId, { first: 100, ...(consentId ? { consentId } : {}) });
      return page.items;
    },
  };
}

/** Awaits `promise`, expecting a GatewayError with `code` (and `message` when given); returns it. */
export async function expectGatewayError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<GatewayError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).code).toBe(code);
  if (message !== undefined) expect((error as GatewayError).message).toBe(message);
  return error as GatewayError;
}
