/**
 * One running mock bank: its express app on a real port, its faults, its call counter and its
 * data. Going "down" closes the listener (connection refused); coming back reopens the same port.
 */
import express, { type Request } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { CallKind, MockBankContext, MockBankDefinition } from "./bank.js";
import { BankDataset, type CustomerSpec } from "./data/dataset.js";
import type { MockCustomer } from "./data/types.js";
import { type Faults, NO_FAULTS, faultMiddleware } from "./faults.js";
import { MockTokenIssuer } from "./tokens.js";

export interface MockBankServerOptions {
  host?: string;
  port?: number;
  anchor?: Date;
  historyDays?: number;
  customers?: CustomerSpec[];
  faults?: Partial<Faults>;
}

const CUSTOMER = Symbol("customer");
const LOGGED_CALL = Symbol("loggedCall");

/**
 * One HTTP request as the bank saw it, for tests that must prove *how* the gateway called
 * (e.g. banks in parallel) without timing the query. Times are `performance.now()` in ms.
 */
export interface MockBankRequest {
  method: string;
  path: string;
  /** The resource kind its route counts under; null for requests that reached no route. */
  kind: CallKind | null;
  /** When the request arrived (before any injected latency). */
  startedAt: number;
  /** When the response was finished or the connection closed; null while still open. */
  endedAt: number | null;
}

export class MockBankServer {
  readonly data: BankDataset;
  readonly tokens: MockTokenIssuer;
  private faults: Faults;
  private calls = new Map<CallKind, number>();
  private requests: MockBankRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private readonly host: string;
  private readonly app: express.Express;

  constructor(
    readonly definition: MockBankDefinition,
    options: MockBankServerOptions = {},
  ) {
    this.host = options.host ?? "127.0.0.1";
    this.port = options.port ?? 0;
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.tokens = new MockTokenIssuer(`mock-bank-secret:${definition.id}`);
    this.data = new BankDataset({
      bankId: definition.id,
      products: definition.products,
      receipts: definition.receipts,
      anchor: options.anchor,
      historyDays: options.historyDays,
      customers: options.customers,
    });
    this.app = express();
    this.app.disable("x-powered-by");
    this.app.use((req, res, next) => {
      const entry: MockBankRequest = { method: req.method, path: req.path, kind: null, startedAt: performance.now(), endedAt: null };
      this.requests.push(entry);
      (req as unknown as Record<symbol, MockBankRequest>)[LOGGED_CALL] = entry;
      res.once("close", () => {
        entry.endedAt = performance.now();
      });
      next();
    });
    this.app.use(
      faultMiddleware(
        () => this.faults,
        () => {
          this.faults.failNext--;
        },
      ),
    );
    this.app.use(express.json({ limit: "1mb" }));
    this.app.use(express.urlencoded({ extended: false }));
    const router = express.Router();
    definition.mount(router, this.context());
    this.app.use(router);
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
    const server = createServer(this.app);
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
    return this.requests.map((r) => ({ ...r }));
  }

  /** Clears the call counts and the request log. */
  resetCallCounts(): void {
    this.calls.clear();
    this.requests = [];
  }

  private context(): MockBankContext {
    const customerFromHeader = (req: Request): MockCustomer | undefined => {
      const match = /^Bearer (.+)$/i.exec(req.get("authorization") ?? "");
      return match?.[1] ? this.customerFor(match[1]) : undefined;
    };
    return {
      id: this.id,
      data: this.data,
      issueToken: (customerId) => this.tokens.issue(customerId),
      customerForToken: (token) => this.customerFor(token),
      guard: (kind) => (req, res, next) => {
        this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
        const logged = (req as unknown as Record<symbol, MockBankRequest | undefined>)[LOGGED_CALL];
        if (logged) logged.kind = kind;
        if (kind === "auth") return next();
        const customer = customerFromHeader(req);
        if (!customer) {
          res.status(401).json({ error: "invalid_token" });
          return;
        }
        (req as unknown as Record<symbol, MockCustomer>)[CUSTOMER] = customer;
        next();
      },
      customerOf: (req) => {
        const customer = (req as unknown as Record<symbol, MockCustomer | undefined>)[CUSTOMER];
        if (!customer) throw new Error("customerOf() used on a route without guard()");
        return customer;
      },
    };
  }

  private customerFor(token: string): MockCustomer | undefined {
    const id = this.tokens.verify(token);
    return id ? this.data.customer(id) : undefined;
  }
}
