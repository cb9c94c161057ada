/**
 * The one end-to-end harness: six mock banks on real ports, the gateway on a real port, the real
 * store (an in-memory PGlite cloned from the run's migrated template, unless a database, a
 * DATA_DIR or a DATABASE_URL is passed), and helpers that speak GraphQL over HTTP.
 *
 *   const t = await startTestGateway();
 *   const alice = await t.newUser("alice", ["chase"]);   // linked through Chase's own OAuth pages
 *   await t.grant(alice, "chase", ["accounts:read", "balances:read"]);
 *   const { body } = await t.gql(query, {}, alice.app);
 */
import { randomUUID } from "node:crypto";
import { startMockCluster, type MockCluster, type MockClusterOptions } from "../../mocks/cluster.js";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { DEFAULT_PASSWORD } from "../../mocks/data/catalog.js";
import { authorizeAsPerson, type PersonAtBankOptions } from "../../mocks/oauth/person-at-bank.js";
import { DAY_MS, ManualClock, type Clock } from "../../src/clock.js";
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import { ConsentPurpose, SCOPES, type Scope } from "../../src/domain/consent.js";
import {
  authorizeThroughBank,
  bankCallbackUri,
  bankNotificationUri,
  type BankAuthorizationOutcome,
  type PersonAtBank,
} from "../../src/links/bank-authorization.js";
import { devBankClient } from "../../src/links/bank-oauth/bank-oauth-clients.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { createLogger, type Logger } from "../../src/observability/logger.js";
import { startGateway, type RunningGateway } from "../../src/server/app.js";
import type { Database } from "../../src/store/database.js";
import { openPgliteClone } from "./pglite-template.js";

export const TEST_ANCHOR = new Date("2026-06-15T00:00:00Z");
export const APP = "messenger-test";
/** The test app's one registered redirect URI (connect sessions send the person back there). */
export const APP_REDIRECT_URI = "https://app.messenger.test/connect/callback";

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

export interface TestGatewayOptions {
  clock?: Clock;
  db?: Database;
  mocks?: MockClusterOptions;
  env?: Record<string, string>;
  /** Reuse a running mock cluster (restart tests). */
  cluster?: MockCluster;
  enforceConsent?: boolean;
  /** Where the gateway logs (default: nowhere). */
  logger?: Logger;
  /** Verify tokens against this JWKS (production-style, asymmetric) instead of the dev HS256 secret. */
  jwks?: { keys: object[] };
  /** Fault injection: event hints are never published (delivery then rests on the head check). */
  dropEventHints?: boolean;
}

/** Who logs in at the bank's pages and what they do there (default: alice, every account, all the bank offers). */
export interface BankPerson extends Partial<Omit<PersonAtBankOptions, "authorizationUrl" | "redirectUri">> {
  /** What Bankgraph asks the bank for (default: every data scope). */
  scopes?: Scope[];
}

/** Every data scope a bank can grant: links ask for all of them; each app's consent narrows. */
export const BANK_SCOPES: Scope[] = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"];

/** A person at the bank's pages, driven over HTTP by the mocks' driver. */
export function personAtBank(person: BankPerson = {}): PersonAtBank {
  return async (authorizationUrl, redirectUri) =>
    (await authorizeAsPerson({ username: "alice", password: DEFAULT_PASSWORD, ...person, authorizationUrl, redirectUri })).location;
}

export interface TestUser {
  userId: string;
  /** The app's token for this user (client APP, no user-present scope). */
  app: string;
  /** The user's own, user-present token (consent:manage). */
  user: string;
  /** Link global IDs by institution. */
  links: Record<string, string>;
  /** Consent global IDs by institution. */
  consents: Record<string, string>;
}

export interface TestGateway {
  gateway: RunningGateway;
  mocks: MockCluster;
  config: GatewayConfig;
  url: string;
  clock: Clock;
  token(userId: string, options?: { client?: string; scopes?: string[]; expiresIn?: number; now?: Date }): Promise<string>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Registers another app like the test app (every purpose and scope, its own redirect URI): tokens of unregistered apps are refused. */
  registerApp(clientId: string): Promise<void>;
  /**
   * A fresh user (unique ID) with these banks linked through each bank's OAuth flow (Bankgraph's
   * begin → alice at the bank's own pages over HTTP → Bankgraph's complete), no consents yet.
   */
  newUser(prefix: string, institutions: string[]): Promise<TestUser>;
  /** Links a bank for `user` as this bank customer, through the bank's own pages; sets and returns `user.links[institutionId]`. */
  linkAs(user: TestUser, institutionId: string, customer: string): Promise<string>;
  /** One bank authorization for `userId` through the bank's own pages (alice's login there unless told otherwise). */
  linkAtBank(userId: string, institutionId: string, person?: BankPerson): Promise<BankAuthorizationOutcome>;
  /** Requests consent for the app and has the user authorize it; returns the consent's global ID. */
  grant(user: TestUser, institution: string, scopes: string[], extra?: { durationDays?: number; historyDays?: number }): Promise<string>;
  /** Bank calls received since the last reset, by bank. */
  bankCalls(): Record<string, { total: number; byKind: Record<string, number> }>;
  resetBankCalls(): void;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? new ManualClock(new Date());
  const mocks = options.cluster ?? (await startMockCluster({ anchor: TEST_ANCHOR, ...options.mocks }));
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    BANK_TIMEOUT_MS: "2000",
    // Suites query, change a mock bank, and query again: by default they see every change at once.
    // The upstream cache and the breaker's fail-fast window are proven in test/hardening/, which
    // sets its own values (the production defaults are 30 s and 10 s).
    UPSTREAM_CACHE_TTL_MS: "0",
    BANK_BREAKER_HALF_OPEN_AFTER_MS: "0",
    // Suites move the clock past end dates: consents are recorded EXPIRED (and bank grants ended)
    // only when a suite sweeps, never by a timer racing it. Sweep suites set their own interval.
    CONSENT_EXPIRY_SWEEP_MS: "0",
    // The payment sweeps (expiry, status poller) run when a suite calls them (services.paymentExpiry.sweep()), never on a timer mid-test.
    PAYMENT_SWEEP_MS: "0",
    // People sign in on the pages at the cluster's mock identity provider.
    IDENTITY_ISSUER: mocks.identity.issuer,
    // Production refuses to run without its own secret at the identity provider; the harness registers whichever is configured.
    IDENTITY_CLIENT_SECRET: "bankgraph-test-identity-secret-0123456789",
    ...options.env,
  });
  // A clone of the migrated template unless the test chose the store; the harness then owns it.
  const ownDb = options.db || options.env?.["DATA_DIR"] || options.env?.["DATABASE_URL"] ? undefined : await openPgliteClone();
  const gateway = await startGateway({
    config,
    bankUrls: mocks.urls,
    overrides: { clock, db: options.db ?? ownDb, inMemoryStore: !options.env?.["DATA_DIR"], jwks: options.jwks, dropEventHints: options.dropEventHints },
    logger: options.logger ?? createLogger("silent"),
    enforceConsent: options.enforceConsent,
  }).catch(async (error: unknown) => {
    await ownDb?.close();
    throw error;
  });
  mocks.identity.registerClient({
    clientId: config.web.identity.clientId,
    clientSecret: config.web.identity.clientSecret,
    redirectUris: [`${gateway.publicUrl}/signin/callback`],
    name: "Bankgraph",
  });
  // Bankgraph's registration at each bank, as at the bank's developer portal: its callback and its
  // security-event endpoint on this gateway.
  const origin = new URL(gateway.url).origin;
  for (const [institutionId, bank] of mocks.banks) {
    // Its dev callback stays registered too: adapter tests and seeds on a shared cluster stop at that redirect.
    const redirectUris = [bankCallbackUri(origin, institutionId), bankCallbackUri("http://127.0.0.1:4000", institutionId)];
    bank.registerClient({ ...devBankClient(institutionId), redirectUris, notificationUri: bankNotificationUri(origin, institutionId), name: "Bankgraph" });
  }
  const registerApp = async (
    clientId: string,
    displayName = clientId,
    legalName = `${clientId} Ltd.`,
    redirectUri = `https://${clientId}.test/connect/callback`,
  ) => {
    await gateway.services.apps.register({
      id: clientId,
      displayName,
      legalName,
      allowedPurposes: Object.values(ConsentPurpose),
      allowedScopes: [...SCOPES],
      redirectUris: [redirectUri],
    });
  };
  await registerApp(APP, "Messenger (test)", "Messenger Test Ltd.", APP_REDIRECT_URI);

  const token: TestGateway["token"] = (userId, o = {}) =>
    mintDevToken({
      userId,
      clientId: o.client ?? APP,
      scopes: o.scopes ?? [],
      secret: config.jwt.secret!,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      expiresInSeconds: o.expiresIn,
      now: o.now,
    });

  const gql: TestGateway["gql"] = async (query, variables = {}, bearer, headers = {}) => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse["body"] };
  };

  const must = <T>(response: GraphQLResponse<T>, what: string): T => {
    if (response.body.errors?.length || !response.body.data) throw new Error(`${what} failed: ${JSON.stringify(response.body.errors)}`);
    return response.body.data;
  };

  const harness: TestGateway = {
    gateway,
    mocks,
    config,
    url: gateway.url,
    clock,
    token,
    gql,
    registerApp: (clientId) => registerApp(clientId),
    async newUser(prefix, institutions) {
      const userId = `${prefix}-${randomUUID().slice(0, 8)}`;
      const user = await token(userId, { scopes: ["consent:manage"] });
      const app = await token(userId);
      const links: Record<string, string> = {};
      for (const institutionId of institutions) {
        const outcome = await harness.linkAtBank(userId, institutionId);
        if (outcome.status !== "LINKED") throw new Error(`link ${institutionId} failed: ${outcome.error}`);
        links[institutionId] = encodeGlobalId("Link", outcome.link.id);
      }
      return { userId, user, app, links, consents: {} };
    },
    async linkAs(user, institutionId, customer) {
      const outcome = await harness.linkAtBank(user.userId, institutionId, { username: customer });
      if (outcome.status !== "LINKED") throw new Error(`link ${institutionId} as ${customer} failed: ${outcome.error}`);
      user.links[institutionId] = encodeGlobalId("Link", outcome.link.id);
      return user.links[institutionId];
    },
    linkAtBank(userId, institutionId, person = {}) {
      return authorizeThroughBank(gateway.services.bankAuthorization, personAtBank(person), {
        userId,
        institutionId,
        scopes: person.scopes ?? BANK_SCOPES,
        // Well inside a year: suites move the gateway's clock ahead of the banks' (which cap a grant at 365 days).
        expiresAt: new Date(clock.now().getTime() + 300 * DAY_MS),
        redirectUri: bankCallbackUri(origin, institutionId),
      });
    },
    async grant(user, institution, scopes, extra = {}) {
      const requested = must(
        await gql<{ requestConsent: { id: string } }>(
          `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id status } }`,
          {
            input: {
              linkId: user.links[institution],
              scopes,
              purpose: "ACCOUNT_OVERVIEW",
              durationDays: extra.durationDays ?? 90,
              historyDays: extra.historyDays,
            },
          },
          user.app,
        ),
        `request consent at ${institution}`,
      );
      must(await gql(`mutation($id: ID!) { authorizeConsent(id: $id) { id status } }`, { id: requested.requestConsent.id }, user.user), "authorize");
      user.consents[institution] = requested.requestConsent.id;
      return requested.requestConsent.id;
    },
    bankCalls() {
      return Object.fromEntries([...mocks.banks].map(([id, bank]) => [id, bank.callCounts()]));
    },
    resetBankCalls() {
      for (const bank of mocks.banks.values()) bank.resetCallCounts();
    },
    async close() {
      await gateway.close();
      await ownDb?.close();
      if (!options.cluster) await mocks.close();
    },
  };
  return harness;
}
