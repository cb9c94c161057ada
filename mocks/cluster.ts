/**
 * All mock banks together, plus one admin server that controls them over HTTP (faults, call
 * counts, client registration, access-token expiry, bank-side revocation, bank events and their
 * webhook target — mocks/events/). The admin server is separate from the banks so it stays
 * reachable while a bank is "down".
 */
import { recordedRevocations } from "./oauth/revocation-log.js";
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomerSpec } from "./data/dataset.js";
import { adminEventRoutes } from "./events/admin-event-routes.js";
import { ClusterEvents } from "./events/cluster-events.js";
import { webhookRetryFromEnv, type WebhookRetryPolicy } from "./events/webhook-retry.js";
import { startIdentityProvider, type RunningIdentityProvider } from "./identity-provider/identity-provider.js";
import type { Faults } from "./faults.js";
import { join } from "node:path";
import { MockBankServer } from "./mock-bank-server.js";
import { type ClientRegistration, devClientFor } from "./oauth/registered-clients.js";
import { MOCK_BANKS } from "./registry.js";

export interface MockClusterOptions {
  host?: string;
  /** First port; bank i listens on basePort + i. 0 (default) = any free port per bank. */
  basePort?: number;
  /** Admin server port; 0 (default) = any free port. */
  adminPort?: number;
  /** Identity provider port; 0 (default) = any free port. */
  identityPort?: number;
  /** Only these banks (default: all registered). */
  banks?: string[];
  anchor?: Date;
  historyDays?: number;
  /** Customers at every bank; default alice, bob, carol. */
  customers?: CustomerSpec[];
  faults?: Record<string, Partial<Faults>>;
  /** Where banks POST webhooks: `<webhookUrl>/<bankId>` (the gateway's `…/webhooks`); settable later. */
  webhookUrl?: string;
  /** Bank ID → webhook signing secret; default the dev secrets the gateway also defaults to. */
  webhookSecrets?: Record<string, string>;
  /** How long and how often banks retry a failed webhook; default from MOCK_WEBHOOK_* env, else one hour (mocks/events/webhook-retry.ts). */
  webhookRetry?: WebhookRetryPolicy;
  /** Access-token lifetime at every bank, in seconds (default 300; tests shorten it). */
  accessTokenSeconds?: number;
  /** Directory the banks' OAuth state (grants, tokens, consents) persists in, one JSON file per bank; memory when absent. */
  stateDir?: string;
  /** Origin of the gateway whose dev client (`devClientFor`) each bank registers at start; default http://127.0.0.1:4000. */
  gatewayOrigin?: string;
}

export interface MockCluster {
  banks: Map<string, MockBankServer>;
  /** Bank ID → base URL. */
  urls: Record<string, string>;
  adminUrl: string;
  /** The mock OpenID Connect provider people sign in at on Bankgraph's pages (alice, bob). */
  identity: RunningIdentityProvider;
  bank(id: string): MockBankServer;
  /** Bank events: emit (change the data, send the signed webhook), redeliver, webhook target. */
  events: ClusterEvents;
  /** Registers a client at every bank (as at each bank's developer portal). */
  registerClient(client: ClientRegistration): void;
  close(): Promise<void>;
}

export async function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const host = options.host ?? "127.0.0.1";
  const definitions = MOCK_BANKS.filter((d) => !options.banks || options.banks.includes(d.id));
  const banks = new Map<string, MockBankServer>();
  for (const [index, definition] of definitions.entries()) {
    const server = new MockBankServer(definition, {
      host,
      port: options.basePort ? options.basePort + index : 0,
      anchor: options.anchor,
      historyDays: options.historyDays,
      customers: options.customers,
      faults: options.faults?.[definition.id],
      accessTokenSeconds: options.accessTokenSeconds,
      stateFile: options.stateDir ? join(options.stateDir, `${definition.id}.oauth.json`) : undefined,
      clients: [devClientFor(definition.id, options.gatewayOrigin)],
      webhookSecret: options.webhookSecrets?.[definition.id],
    });
    if (!server.getFaults().down) await server.start();
    banks.set(definition.id, server);
  }
  const events = new ClusterEvents(banks, { webhookUrl: options.webhookUrl, retry: options.webhookRetry ?? webhookRetryFromEnv(process.env) });
  const admin = await startAdmin(banks, events, host, options.adminPort ?? 0);
  const identity = await startIdentityProvider({ host, port: options.identityPort ?? 0 });
  const bank = (id: string) => {
    const server = banks.get(id);
    if (!server) throw new Error(`No mock bank ${id}`);
    return server;
  };
  return {
    banks,
    urls: Object.fromEntries([...banks].map(([id, server]) => [id, server.url])),
    adminUrl: `http://${host}:${(admin.address() as AddressInfo).port}`,
    identity,
    bank,
    events,
    registerClient(client) {
      for (const server of banks.values()) server.registerClient(client);
    },
    async close() {
      events.close();
      for (const server of banks.values()) server.payments.close();
      await Promise.all([...banks.values()].map((b) => b.stop()));
      await identity.close();
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
    },
  };
}

async function startAdmin(banks: Map<string, MockBankServer>, events: ClusterEvents, host: string, port: number): Promise<Server> {
  const app = express();
  app.use(express.json());
  /** A route on one bank (`:id`); an unknown bank gets 404. */
  const onBank =
    (handle: (bank: MockBankServer, req: express.Request, res: express.Response) => unknown): express.RequestHandler =>
    async (req, res) => {
      const bank = banks.get(String(req.params.id));
      if (!bank) return void res.status(404).json({ error: "unknown bank" });
      await handle(bank, req, res);
    };
  app.get("/banks", (_req, res) => {
    res.json([...banks.values()].map((b) => ({ id: b.id, name: b.definition.name, url: b.url, faults: b.getFaults() })));
  });
  app.get(
    "/banks/:id/faults",
    onBank((bank, _req, res) => res.json(bank.getFaults())),
  );
  // The admin API's callers are the test and bench harnesses: the body is trusted to be Partial<Faults>.
  app.put(
    "/banks/:id/faults",
    onBank(async (bank, req, res) => res.json(await bank.setFaults((req.body ?? {}) as Partial<Faults>))),
  );
  app.delete(
    "/banks/:id/faults",
    onBank(async (bank, _req, res) => res.json(await bank.resetFaults())),
  );
  app.get(
    "/banks/:id/calls",
    onBank((bank, _req, res) => res.json(bank.callCounts())),
  );
  app.delete(
    "/banks/:id/calls",
    onBank((bank, _req, res) => {
      bank.resetCallCounts();
      res.status(204).end();
    }),
  );
  app.post(
    "/banks/:id/tokens/expire",
    onBank((bank, _req, res) => {
      bank.expireAccessTokens();
      res.status(204).end();
    }),
  );
  app.get(
    "/banks/:id/token-calls",
    onBank((bank, _req, res) => res.json(bank.tokenCallCounts())),
  );
  app.post(
    "/banks/:id/customers/:customerId/revoke",
    onBank((bank, req, res) => res.json({ revoked: bank.revokeCustomer(String(req.params.customerId)) })),
  );
  // Every consent ended at the bank, and how (bank side, FDX revocation, UK DELETE, RFC 7009).
  app.get(
    "/banks/:id/revocations",
    onBank((bank, _req, res) => res.json(recordedRevocations(bank))),
  );
  // Payments sent from the bank's accounts by one customer (mocks/payments/), oldest first, with their status history.
  app.get(
    "/banks/:id/payments",
    onBank((bank, req, res) => res.json(bank.payments.paymentsOf(typeof req.query.customer === "string" ? req.query.customer : "alice"))),
  );
  // Client registration for out-of-process mocks (`npm run mocks`): at one bank, or at all of them.
  app.post(
    "/banks/:id/clients",
    onBank((bank, req, res) => registerFromBody(req.body, [bank], res)),
  );
  app.post("/clients", (req, res) => registerFromBody(req.body, [...banks.values()], res));
  app.use(adminEventRoutes(events));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
  return server;
}

function registerFromBody(body: unknown, banks: MockBankServer[], res: express.Response): void {
  const { clientId, clientSecret, redirectUris, name, notificationUri } = (body ?? {}) as Partial<ClientRegistration>;
  if (typeof clientId !== "string" || typeof clientSecret !== "string" || !Array.isArray(redirectUris) || typeof name !== "string") {
    return void res.status(400).json({ error: "Body must be { clientId, clientSecret, redirectUris: [..], name, notificationUri? }" });
  }
  try {
    const notification = typeof notificationUri === "string" ? { notificationUri } : {};
    for (const bank of banks) bank.registerClient({ clientId, clientSecret, redirectUris: redirectUris.map(String), name, ...notification });
  } catch (error) {
    return void res.status(400).json({ error: (error as Error).message });
  }
  res.status(201).json({ clientId, banks: banks.map((b) => b.id) });
}
