/**
 * One running mock bank: its express app on a real port, its OAuth 2 authorization server
 * (oidc-provider, issuer = the bank's own origin, built in start() once the port is known and
 * kept across restarts), its own login / consent / account pages, its faults, its call counter
 * and its data. Going "down" closes the listener (connection refused); coming back reopens the
 * same port.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { createServer, type Server, type ServerOptions } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { CallKind, MockBankContext, MockBankDefinition } from "./bank.js";
import { BankDataset, type CustomerSpec } from "./data/dataset.js";
import type { MockCustomer } from "./data/types.js";
import { EventJournal } from "./events/event-journal.js";
import { eventFeedRoute } from "./events/event-feed-route.js";
import { defaultMockWebhookSecret } from "./events/webhook-signing.js";
import { type Faults, NO_FAULTS, faultMiddleware } from "./faults.js";
import { answerJsonDirectly, bornWithAppPrototypes, inSequence, onlyAt, queryParsedOnce, requestBodies } from "./server-pipeline.js";
import { createBankProvider, clientMetadataFor, OAUTH_ROUTES } from "./oauth/bank-provider.js";
import { BankConsents } from "./oauth/bank-consents.js";
import { BANK_PAGE_PATHS, bankPages } from "./oauth/bank-pages.js";
import { CONNECTED_APPS_PATH, connectedAppsPages } from "./oauth/connected-apps-pages.js";
import { html, PAGE_HEADERS, pageHtml } from "./oauth/bank-html.js";
import { narrowedToGrant, withGrantedAccounts } from "./oauth/granted-accounts.js";
import { OAuthState } from "./oauth/oauth-state.js";
import { type ClientRegistration, devClientFor, RegisteredClients } from "./oauth/registered-clients.js";
import { type TokenCheck, TokenGuard } from "./oauth/token-guard.js";
import { SecurityEventPusher, type SecurityEventDelivery, type SecurityEventPushOptions } from "./oauth/security-event-push.js";
import { type BankSigningKey, createBankSigningKey, signGrantRevoked } from "./oauth/security-events.js";
import { RevocationLog, type RevocationSource } from "./oauth/revocation-log.js";
import { type MockBankRequest, RequestLog } from "./request-log.js";
import { PaymentBook } from "./payments/payment-book.js";
import type Provider from "oidc-provider";

export type { MockBankRequest } from "./request-log.js";

export interface MockBankServerOptions {
  host?: string;
  port?: number;
  anchor?: Date;
  historyDays?: number;
  customers?: CustomerSpec[];
  faults?: Partial<Faults>;
  /** Access-token lifetime in seconds (default 300). */
  accessTokenSeconds?: number;
  /** JSON file the OAuth server's grants, tokens and consents persist to; memory only when absent. */
  stateFile?: string;
  /** Clients registered at start (default: Bankgraph's dev client, `devClientFor(bankId)`). */
  clients?: ClientRegistration[];
  /** Retries of security-event pushes (default 4 attempts, 250 ms doubling). */
  securityEventPush?: SecurityEventPushOptions;
  /** Secret the bank signs its webhooks with and checks "events since" requests against; default {@link defaultMockWebhookSecret}. */
  webhookSecret?: string;
}

/** Token-endpoint calls by grant_type (authorization_code, refresh_token, client_credentials, …). */
export type TokenCalls = Partial<Record<string, number>>;

const PROVIDER_PATHS = new Set<string>(Object.values(OAUTH_ROUTES));

const CUSTOMER = Symbol("customer");
const LOGGED_CALL = Symbol("loggedCall");

export class MockBankServer {
  readonly data: BankDataset;
  /** The webhook deliveries the bank made, numbered (banks that send webhooks only). */
  readonly eventJournal: EventJournal | undefined;
  readonly webhookSecret: string;
  readonly consents: BankConsents;
  /** Payments sent from this bank's accounts (mocks/payments/); their steps are sent as webhooks by the cluster. */
  readonly payments: PaymentBook;
  /** Every consent ended at this bank, and how (mocks/oauth/revocation-log.ts). */
  readonly revocations = new RevocationLog();
  private readonly oauthState: OAuthState;
  private readonly clients: RegisteredClients;
  private readonly tokenGuard: TokenGuard;
  private readonly accessTokenSeconds: number;
  private readonly signingKey: BankSigningKey = createBankSigningKey();
  private readonly securityEvents: SecurityEventPusher;
  private readonly pendingNotices = new Set<Promise<void>>();
  private provider: Provider | undefined;
  private providerCallback: ReturnType<Provider["callback"]> | undefined;
  private tokenCalls = new Map<string, number>();
  private faults: Faults;
  private calls = new Map<CallKind, number>();
  private readonly requests = new RequestLog();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private readonly host: string;
  private readonly app: express.Express;
  /** Requests and responses made with the app's prototypes (server-pipeline.ts), for every time the server starts. */
  private readonly serverOptions: ServerOptions;

  constructor(
    readonly definition: MockBankDefinition,
    options: MockBankServerOptions = {},
  ) {
    this.host = options.host ?? "127.0.0.1";
    this.port = options.port ?? 0;
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.accessTokenSeconds = options.accessTokenSeconds ?? 300;
    this.oauthState = new OAuthState(options.stateFile);
    this.consents = new BankConsents(this.oauthState);
    this.clients = new RegisteredClients(clientMetadataFor(definition.authorization));
    for (const client of options.clients ?? [devClientFor(definition.id)]) this.clients.register(client);
    this.tokenGuard = new TokenGuard(
      () => this.provider,
      this.consents,
      (bearer) => this.oauthState.get("AccessToken", bearer),
    );
    this.securityEvents = new SecurityEventPusher(options.securityEventPush);
    this.data = new BankDataset({
      bankId: definition.id,
      products: definition.products,
      receipts: definition.receipts,
      anchor: options.anchor,
      historyDays: options.historyDays,
      customers: options.customers,
    });
    this.payments = new PaymentBook(this.data, () => this.faults);
    this.webhookSecret = options.webhookSecret ?? defaultMockWebhookSecret(definition.id);
    this.eventJournal = definition.events ? new EventJournal(definition.events.feed) : undefined;
    this.app = express();
    this.app.disable("x-powered-by");
    // Bank APIs answer fresh JSON on every call: no ETag (a SHA-1 of every body) for a cache to key on.
    this.app.set("etag", false);
    answerJsonDirectly(this.app);
    queryParsedOnce(this.app);
    this.serverOptions = bornWithAppPrototypes(this.app);
    // What the bank's own pages (sign-in and consent, connected apps) show and change.
    const pages = {
      bankName: definition.name,
      look: definition.look,
      authorization: definition.authorization,
      data: this.data,
      consents: this.consents,
      clients: this.clients,
    };
    const events = definition.events && this.eventJournal ? { format: definition.events, journal: this.eventJournal } : undefined;
    this.app.use(
      inSequence([
        (req, res, next) => this.logRequest(req, res, next),
        faultMiddleware(
          () => this.faults,
          () => {
            this.faults.failNext--;
          },
        ),
        // oidc-provider parses its own request bodies, so it goes before the body parsers.
        this.providerRoutes(),
        requestBodies(),
        onlyAt(BANK_PAGE_PATHS, bankPages({ ...pages, provider: () => this.requireProvider() })),
        onlyAt([CONNECTED_APPS_PATH], connectedAppsPages({ ...pages, removeAccess: (consent) => this.removeAccess(consent.id) })),
        ...(events ? [onlyAt([events.format.feed.path], eventFeedRoute(events.format, events.journal, this.webhookSecret))] : []),
      ]),
    );
    // The bank's routes go on the app's own router, right after the front: no nested router to pass through.
    definition.mount(this.app.router, this.context());
    this.app.use((_req, res) => res.status(404).json({ error: "not_found" }));
  }

  get id(): string {
    return this.definition.id;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer(this.serverOptions, this.app);
    server.keepAliveTimeout = 5000;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    if (!this.provider) {
      this.provider = this.createProvider();
      this.providerCallback = this.provider.callback();
    }
  }

  /**
   * Generates and indexes, as this bank lists them, the histories of every account the customer
   * holds now rather than at their first read: a benchmark builds a 100k-transaction history (and
   * the garbage collection of its heap that follows) before it measures, not inside the calls it times.
   */
  generateHistoriesOf(customerId: string): void {
    for (const account of this.data.accountsOf(customerId)) this.data.listing(account.id, this.definition.listsSupersededPending);
  }

  /** Registers a client as the bank's developer portal would: again with the same id and secret adds its redirect URIs. */
  registerClient(client: ClientRegistration): void {
    this.clients.register(client);
  }

  /**
   * The bank revokes every grant the customer gave, silently (no security event: the client finds
   * out when its next call is refused); tokens stop working at once. The connected-apps page, which
   * does tell the client, goes through {@link removeAccess}.
   */
  revokeCustomer(customerId: string): number {
    const live = this.consents.ofCustomer(customerId).filter((c) => c.status === "Authorised");
    for (const consent of live) this.revokeConsent(consent.id);
    return live.length;
  }

  /**
   * The person removed a client's access on the connected-apps page: the consent is revoked (its
   * tokens are refused from now on) and the client, if it registered a notification endpoint, is
   * pushed a signed `session-revoked` event in the background (retried with backoff).
   */
  removeAccess(consentId: string): void {
    const pushed = this.notifyRemoved(consentId);
    this.pendingNotices.add(pushed);
    void pushed.finally(() => this.pendingNotices.delete(pushed));
  }

  private async notifyRemoved(consentId: string): Promise<void> {
    const consent = this.consents.get(consentId);
    if (!consent || consent.status !== "Authorised") return;
    this.revokeConsent(consentId);
    const url = this.clients.notificationUri(consent.clientId);
    if (!url) return;
    // Revoked above before the first await: the page answers only once the tokens are refused.
    const { jti, set } = await signGrantRevoked(this.signingKey, {
      issuer: this.url,
      audience: consent.clientId,
      consentId,
      initiatingEntity: "user",
      revokedAt: new Date(),
      reasonAdmin: "The customer removed this app's access on the bank's connected-apps page",
      reasonUser: `You removed this app's access at ${this.definition.name}`,
    });
    await this.securityEvents.push(url, jti, set);
  }

  /** Resolves once every security event of a removal so far has been pushed and answered (or given up on). */
  async securityEventsSettled(): Promise<void> {
    while (this.pendingNotices.size > 0) await Promise.allSettled([...this.pendingNotices]);
    await this.securityEvents.settled();
  }

  /** Security events pushed so far (oldest first), with their outcome. */
  securityEventDeliveries(): SecurityEventDelivery[] {
    return this.securityEvents.deliveries();
  }

  /** Revokes one consent: Revoked, and its grant's tokens and codes are gone; recorded once, with how (default: at the bank itself). */
  revokeConsent(consentId: string, source: RevocationSource = { channel: "BANK_SIDE" }): void {
    const before = this.consents.get(consentId);
    const consent = this.consents.update(consentId, { status: "Revoked" });
    if (consent?.grantId) this.oauthState.revokeGrant(consent.grantId);
    if (consent && before?.status !== "Revoked") {
      this.revocations.record({ at: new Date().toISOString(), consentId, clientId: consent.clientId, customerId: consent.customerId ?? null, ...source });
    }
  }

  /** Every access token issued so far stops working now; refresh tokens still work. */
  expireAccessTokens(): void {
    this.oauthState.deleteAll("AccessToken");
  }

  /** Token-endpoint calls since the last reset, by grant_type. */
  tokenCallCounts(): TokenCalls {
    return Object.fromEntries(this.tokenCalls);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  getFaults(): Faults {
    return { ...this.faults };
  }

  async setFaults(patch: Partial<Faults>): Promise<Faults> {
    this.faults = { ...this.faults, ...patch };
    if (this.faults.down) await this.stop();
    else await this.start();
    return this.getFaults();
  }

  resetFaults(): Promise<Faults> {
    return this.setFaults({ ...NO_FAULTS });
  }

  /** Calls received so far, by resource kind, and in total. */
  callCounts(): { total: number; byKind: Partial<Record<CallKind, number>> } {
    const byKind = Object.fromEntries(this.calls) as Partial<Record<CallKind, number>>;
    return { total: [...this.calls.values()].reduce((a, b) => a + b, 0), byKind };
  }

  /** Requests received since the last reset, in arrival order (copies). */
  requestLog(): MockBankRequest[] {
    return this.requests.entries();
  }

  /** Clears the call counts and the request log. */
  resetCallCounts(): void {
    this.calls.clear();
    this.tokenCalls.clear();
    this.requests.clear();
  }

  private createProvider(): Provider {
    const provider = createBankProvider({
      issuer: this.url,
      bankId: this.id,
      authorization: this.definition.authorization,
      state: this.oauthState,
      clients: this.clients,
      consents: this.consents,
      accessTokenSeconds: this.accessTokenSeconds,
      signingKey: this.signingKey,
      customerExists: (id) => this.data.customer(id) !== undefined,
      renderError: (ctx, error) => {
        ctx.type = "html";
        ctx.set(PAGE_HEADERS);
        ctx.body = pageHtml(this.definition.look, "Something went wrong", html`<p>${error.error_description ?? error.error}</p>`);
      },
    });
    const count = (ctx: { oidc?: { params?: Record<string, unknown> } }) => {
      const given = ctx.oidc?.params?.grant_type;
      const grantType = typeof given === "string" ? given : "unknown";
      this.tokenCalls.set(grantType, (this.tokenCalls.get(grantType) ?? 0) + 1);
    };
    provider.on("grant.success", count);
    provider.on("grant.error", count);
    // RFC 7009 at /oauth/revoke ended the grant (not a refresh-token reuse the token endpoint caught): the consent ends with it.
    provider.on("grant.revoked", (ctx: { oidc?: { route?: string } }, grantId: string) => {
      const consent = ctx.oidc?.route === "revocation" ? this.consents.byGrant(grantId) : undefined;
      if (consent) this.revokeConsent(consent.id, { channel: "RFC7009" });
    });
    return provider;
  }

  private requireProvider(): Provider {
    if (!this.provider) throw new Error(`Mock bank ${this.id} has not started`);
    return this.provider;
  }

  /** Hands the provider its routes (discovery, authorize, PAR, token, revoke, JWKS) on the bank's origin. */
  private providerRoutes(): RequestHandler {
    return (req, res, next) => {
      const handle = this.providerCallback;
      const isProviderPath = PROVIDER_PATHS.has(req.path) || req.path.startsWith(`${OAUTH_ROUTES.authorization}/`) || req.path.startsWith("/.well-known/");
      if (!handle || !isProviderPath) return next();
      if (req.path === OAUTH_ROUTES.token) this.count(req, "auth");
      void handle(req, res);
    };
  }

  /** Adds the request to the log; its end is stamped when the response is finished or the connection closes. */
  private logRequest(req: Request, res: Response, next: NextFunction): void {
    const logged = this.requests.arrived(req.method, req.path, performance.now());
    (req as unknown as Record<symbol, number>)[LOGGED_CALL] = logged;
    res.once("close", () => this.requests.ended(logged, performance.now()));
    next();
  }

  private count(req: Request, kind: CallKind): void {
    this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
    const logged = (req as unknown as Record<symbol, number | undefined>)[LOGGED_CALL];
    if (logged !== undefined) this.requests.routed(logged, kind);
  }

  private context(): MockBankContext {
    const bearer = (req: Request) => /^Bearer (.+)$/i.exec(req.get("authorization") ?? "")?.[1];
    return {
      id: this.id,
      data: narrowedToGrant(this.data),
      consents: this.consents,
      revokeConsent: (id, source) => this.revokeConsent(id, source),
      clientForBasic: (header) => this.clients.authenticate(header),
      clientForToken: async (token) => {
        const credentials = token && this.provider ? await this.provider.ClientCredentials.find(token) : undefined;
        return credentials && !credentials.isExpired ? credentials.clientId : undefined;
      },
      guard: (kind) => (req, res, next) => {
        this.count(req, kind);
        const answer = (check: TokenCheck): void => {
          if (!check.ok) {
            res.set("WWW-Authenticate", `Bearer error="${check.error}"`);
            return void res.status(check.status).json(this.definition.refusal(check.status));
          }
          const customer = this.data.customer(check.customerId);
          if (!customer) return void res.status(401).json(this.definition.refusal(401));
          (req as unknown as Record<symbol, MockCustomer>)[CUSTOMER] = customer;
          withGrantedAccounts(check.accountIds, check.historyFrom, next);
        };
        const token = bearer(req);
        const remembered = this.tokenGuard.checkRemembered(token, kind);
        if (remembered) return answer(remembered);
        void this.tokenGuard.check(token, kind).then(answer, (error: unknown) => next(error));
      },
      customerOf: (req) => {
        const customer = (req as unknown as Record<symbol, MockCustomer | undefined>)[CUSTOMER];
        if (!customer) throw new Error("customerOf() used on a route without guard()");
        return customer;
      },
      payments: this.payments,
      swallowPaymentAnswer: () => {
        if (this.faults.paymentTimeoutsAfterAccept <= 0) return false;
        this.faults.paymentTimeoutsAfterAccept--;
        return true;
      },
    };
  }
}
