/**
 * Connect sessions: an app asks a person, through Bankgraph's pages, for access to their banks.
 * Implements both faces declared in `connect-service.ts`. Every step reads the session under a
 * row lock and writes it in the same transaction, so two tabs (or two devices) never both finish
 * a step; every refusal happens before anything is written.
 */
import { createHash, randomUUID } from "node:crypto";
import { DAY_MS, MINUTE_MS, systemClock, type Clock } from "../clock.js";
import type { ConsentService } from "../consent/consent-service.js";
import { limitsAsInput, lowerLimits } from "../consent/payment-limits.js";
import { ConnectSessionStatus, type ConnectSession, type DisclosureRecord } from "../domain/connect-session.js";
import type { PaymentLimits } from "../domain/payment.js";
import { ErrorCode, GatewayError, badInput } from "../errors.js";
import type { BankAuthorization, BankAuthorizationStart, BankCallbackParams } from "../links/bank-authorization.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import type { AppRegistry } from "../apps/app-registry.js";
import type { Database, Queryable } from "../store/database.js";
import { ConnectSessionRepository } from "../store/connect-session-repository.js";
import { connectOutcomeEntry } from "./connect-outcome.js";
import { validateConnectRequest } from "./connect-request.js";
import type {
  BankStepResult,
  ConnectJourney,
  ConnectRedirect,
  ConnectRefusal,
  ConnectSessionCreated,
  ConnectSessionView,
  ConnectSessions,
  CreateConnectSessionInput,
  DisclosureShown,
  NextConnectStep,
} from "./connect-service.js";

/** Options for {@link ConnectSessionService}. */
export interface ConnectSessionServiceOptions {
  db: Database;
  apps: AppRegistry;
  consents: ConsentService;
  /** Bankgraph as each bank's OAuth client. */
  bankAuthorization: BankAuthorization;
  /** The banks Bankgraph serves, in registry order. */
  institutions: ReadonlyArray<{ id: string; name: string }>;
  /** Where the outcome is logged for the app (in the transaction that ends the session). */
  outbox: EventOutbox;
  /** How long a session's URL works (minutes). */
  sessionMinutes: number;
  /** The gateway's address as a browser reaches it (no trailing slash); see {@link ConnectSessionService.usePublicUrl}. */
  publicUrl: string;
  /** Default: the system clock. */
  clock?: Clock;
}

const MAX_DISCLOSURE_CHARS = 100_000;
const MAX_TEMPLATE_VERSION = 64;

function refuse(code: ErrorCode, reason: ConnectRefusal, message: string): GatewayError {
  return new GatewayError(code, message, { reason });
}

const notFoundSession = () => refuse(ErrorCode.NOT_FOUND, "SESSION_NOT_FOUND", "Connect session not found");

/** Connect sessions, for apps (GraphQL) and for Bankgraph's pages. */
export class ConnectSessionService implements ConnectSessions, ConnectJourney {
  private readonly deps: ConnectSessionServiceOptions;
  private readonly clock: Clock;
  private publicUrl: string;

  constructor(options: ConnectSessionServiceOptions) {
    this.deps = options;
    this.clock = options.clock ?? systemClock;
    this.publicUrl = options.publicUrl;
  }

  /** The gateway's address as a browser reaches it (no trailing slash): session URLs and the demo app's redirect URI start with it. */
  get baseUrl(): string {
    return this.publicUrl;
  }

  /** Sets the address session URLs start with, once the listener knows its port (when PUBLIC_URL is not set). */
  usePublicUrl(url: string): void {
    this.publicUrl = url.replace(/\/+$/, "");
  }

  // ── The app's side ──────────────────────────────────────────────────────────────────────────

  async create(clientId: string, userId: string, input: CreateConnectSessionInput): Promise<ConnectSessionCreated> {
    const app = await this.deps.apps.find(clientId);
    if (!app) throw new GatewayError(ErrorCode.UNAUTHENTICATED, `App ${clientId} is not registered`, { reason: "CLIENT_NOT_REGISTERED" });
    const now = this.clock.now();
    const request = validateConnectRequest(
      app,
      input,
      this.deps.institutions.map((i) => i.id),
      now,
    );
    const session: ConnectSession = {
      id: randomUUID(),
      clientId,
      userId,
      request,
      status: ConnectSessionStatus.PENDING,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.sessionMinutes * MINUTE_MS),
      openedAt: null,
      disclosureId: null,
      chosenPaymentLimits: null,
      banks: [],
      finishedAt: null,
    };
    await new ConnectSessionRepository(this.deps.db).insert(session);
    return { id: session.id, url: `${this.publicUrl}/connect/${session.id}`, expiresAt: session.expiresAt };
  }

  async getForApp(id: string, clientId: string, userId: string): Promise<ConnectSession | null> {
    const session = await new ConnectSessionRepository(this.deps.db).find(id);
    if (!session || session.clientId !== clientId || session.userId !== userId) return null;
    return this.project(session);
  }

  // ── The person's side (Bankgraph's pages) ──────────────────────────────────────────────────

  async open(sessionId: string, userId: string): Promise<ConnectSessionView> {
    const session = await this.step(sessionId, userId, async (current, repo) => {
      if (current.openedAt) return current;
      const opened = { ...current, status: ConnectSessionStatus.IN_PROGRESS, openedAt: this.clock.now() };
      await repo.update(opened);
      return opened;
    });
    const app = await this.deps.apps.find(session.clientId);
    const offered = new Set(session.request.institutionIds);
    return {
      session,
      app: { id: session.clientId, displayName: app?.name ?? session.clientId, legalName: app?.legalName ?? app?.name ?? session.clientId },
      institutions: this.deps.institutions.filter((i) => offered.has(i.id)).map((i) => ({ id: i.id, name: i.name })),
      purpose: session.request.purpose,
      scopes: session.request.scopes,
      paymentLimits: session.chosenPaymentLimits ?? session.request.paymentLimits,
    };
  }

  async recordDisclosure(sessionId: string, userId: string, shown: DisclosureShown): Promise<DisclosureRecord> {
    if (typeof shown.text !== "string" || shown.text.length === 0 || shown.text.length > MAX_DISCLOSURE_CHARS) {
      throw badInput(`The disclosure text must be 1 to ${MAX_DISCLOSURE_CHARS} characters`);
    }
    if (typeof shown.templateVersion !== "string" || shown.templateVersion.length === 0 || shown.templateVersion.length > MAX_TEMPLATE_VERSION) {
      throw badInput(`The template version must be 1 to ${MAX_TEMPLATE_VERSION} characters`);
    }
    let record: DisclosureRecord | undefined;
    await this.step(sessionId, userId, async (current, repo) => {
      this.requireOpened(current);
      if (current.banks.some((b) => b.status !== "WAITING")) {
        throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "The person already went on to a bank; the disclosure they agreed to is kept");
      }
      record = {
        id: randomUUID(),
        connectSessionId: current.id,
        userId,
        clientId: current.clientId,
        text: shown.text,
        templateVersion: shown.templateVersion,
        sha256: createHash("sha256").update(shown.text, "utf8").digest("hex"),
        shownAt: this.clock.now(),
      };
      await repo.insertDisclosure(record);
      const next = { ...current, disclosureId: record.id };
      await repo.update(next);
      return next;
    });
    return record!;
  }

  async chooseInstitutions(
    sessionId: string,
    userId: string,
    institutionIds: readonly string[],
    chosenLimits?: PaymentLimits | null,
  ): Promise<NextConnectStep> {
    const session = await this.step(sessionId, userId, async (current, repo) => {
      this.requireOpened(current);
      if (!current.disclosureId) throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "Show the disclosure before banks are chosen");
      if (current.banks.some((b) => b.status !== "WAITING")) {
        throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "The banks were chosen and the first one has begun");
      }
      const picked = [...new Set(institutionIds)];
      if (picked.length === 0) throw badInput("Choose at least one bank");
      const notOffered = picked.filter((id) => !current.request.institutionIds.includes(id));
      if (notOffered.length > 0) {
        throw refuse(ErrorCode.BAD_USER_INPUT, "INSTITUTION_NOT_OFFERED", `This session does not offer ${notOffered.join(", ")}`);
      }
      const proposed = current.request.paymentLimits;
      const limits = proposed && chosenLimits ? lowerLimits(proposed, chosenLimits) : null;
      const next: ConnectSession = {
        ...current,
        chosenPaymentLimits: limits,
        banks: picked.map((institutionId) => ({ institutionId, status: "WAITING", attemptId: null, linkId: null, consentId: null })),
      };
      await repo.update(next);
      return next;
    });
    return this.nextStep(session);
  }

  async beginBank(sessionId: string, userId: string, institutionId: string, bankRedirectUri: string): Promise<BankAuthorizationStart> {
    const before = await this.readForPerson(sessionId, userId);
    this.requireBankOpen(before, institutionId);
    // Outside the session's transaction (the attempt is the bank service's own write); re-checked below.
    const { request } = before;
    const start = await this.deps.bankAuthorization.begin({
      userId,
      institutionId,
      scopes: request.scopes,
      historyDays: request.historyDays ?? undefined,
      expiresAt: new Date(this.clock.now().getTime() + request.durationDays * DAY_MS),
      redirectUri: bankRedirectUri,
    });
    await this.step(sessionId, userId, async (current, repo) => {
      this.requireBankOpen(current, institutionId);
      const next: ConnectSession = {
        ...current,
        banks: current.banks.map((b) => (b.institutionId === institutionId ? { ...b, status: "AT_BANK", attemptId: start.attemptId } : b)),
      };
      await repo.update(next);
      return next;
    });
    return start;
  }

  async completeBank(sessionId: string, userId: string, params: BankCallbackParams): Promise<BankStepResult> {
    // Checked before the bank's code is redeemed: an expired, finished or foreign session stores nothing.
    const before = await this.readForPerson(sessionId, userId);
    this.requireOpened(before);
    if (!before.banks.some((b) => b.status === "AT_BANK")) throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "No bank is waiting for an answer in this session");

    const outcome = await this.deps.bankAuthorization.complete(userId, params);
    let result: BankStepResult | undefined;
    const session = await this.step(sessionId, userId, async (current, repo) => {
      this.requireOpened(current);
      const bank = current.banks.find((b) => b.status === "AT_BANK" && b.attemptId === outcome.attemptId);
      if (!bank) throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "This bank answer does not belong to this session");
      let consentId: string | null = null;
      let linkId: string | null = null;
      let accountIds: string[] = [];
      if (outcome.status === "LINKED") {
        const { request } = current;
        const disclosure = current.disclosureId ? await repo.findDisclosure(current.disclosureId) : null;
        const paying = current.chosenPaymentLimits ?? request.paymentLimits;
        // In the session's transaction: the consent exists exactly when the session says the bank is LINKED.
        const consent = await this.deps.consents.requestAndAuthorize(
          {
            userId,
            clientId: current.clientId,
            linkId: outcome.link.id,
            scopes: request.scopes,
            purpose: request.purpose,
            durationDays: request.durationDays,
            historyDays: request.historyDays,
            paymentLimits: paying && limitsAsInput(paying),
          },
          { connectSessionId: current.id, disclosureSha256: disclosure?.sha256 ?? null },
          { tx: repo.queryable },
        );
        consentId = consent.id;
        linkId = outcome.link.id;
        accountIds = outcome.accountIds;
      }
      const status = outcome.status === "LINKED" ? "LINKED" : "DENIED";
      const next: ConnectSession = {
        ...current,
        banks: current.banks.map((b) => (b === bank ? { ...b, status, linkId, consentId } : b)),
      };
      await repo.update(next);
      result = { institutionId: bank.institutionId, outcome: status, consentId, linkId, accountIds, next: { kind: "FINISH" } };
      return next;
    });
    return { ...result!, next: this.nextStep(session) };
  }

  async finish(sessionId: string, userId: string): Promise<ConnectRedirect> {
    const session = await this.step(sessionId, userId, async (current, repo, tx) => {
      this.requireOpened(current);
      if (current.banks.length === 0 || current.banks.some((b) => b.status === "WAITING" || b.status === "AT_BANK")) {
        throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "Every chosen bank must answer before the session can finish");
      }
      const linked = current.banks.some((b) => b.status === "LINKED");
      const next = { ...current, status: linked ? ConnectSessionStatus.COMPLETED : ConnectSessionStatus.DENIED, finishedAt: this.clock.now() };
      await repo.update(next);
      await this.deps.outbox.appendIn(tx, connectOutcomeEntry(next));
      return next;
    });
    await this.deps.outbox.hintPerson(session.userId);
    return { redirectUrl: this.redirectFor(session), session };
  }

  async cancel(sessionId: string, userId: string | null): Promise<ConnectRedirect> {
    const session = await this.transaction(sessionId, async (current, repo, tx) => {
      if (userId !== null && current.userId !== userId) throw this.wrongPerson();
      // Before sign-in (userId null) only a session nobody opened yet may be cancelled: the URL alone cannot end someone's session in progress.
      if (userId === null && current.openedAt) throw this.wrongPerson();
      this.requireLive(current);
      const next = { ...current, status: ConnectSessionStatus.DENIED, finishedAt: this.clock.now() };
      await repo.update(next);
      await this.deps.outbox.appendIn(tx, connectOutcomeEntry(next));
      return next;
    });
    await this.deps.outbox.hintPerson(session.userId);
    return { redirectUrl: this.redirectFor(session), session };
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────

  /** The app's redirect URI with the app's state and the outcome (query parameters added to any it already has). */
  private redirectFor(session: ConnectSession): string {
    const url = new URL(session.request.redirectUri);
    if (session.status === ConnectSessionStatus.COMPLETED) {
      url.searchParams.set("connect_session_id", session.id);
      url.searchParams.set("status", "COMPLETED");
    } else {
      url.searchParams.set("error", "access_denied");
      url.searchParams.set("connect_session_id", session.id);
    }
    url.searchParams.set("state", session.request.state);
    return url.toString();
  }

  private nextStep(session: ConnectSession): NextConnectStep {
    const waiting = session.banks.find((b) => b.status === "WAITING" || b.status === "AT_BANK");
    return waiting ? { kind: "BANK", institutionId: waiting.institutionId } : { kind: "FINISH" };
  }

  /** Runs one step of the person's journey on the locked, live session that is theirs. */
  private step(
    sessionId: string,
    userId: string,
    change: (current: ConnectSession, repo: ConnectSessionRepository, tx: Queryable) => Promise<ConnectSession>,
  ): Promise<ConnectSession> {
    return this.transaction(sessionId, async (current, repo, tx) => {
      if (current.userId !== userId) throw this.wrongPerson();
      this.requireLive(current);
      return change(current, repo, tx);
    });
  }

  private async transaction(
    sessionId: string,
    work: (current: ConnectSession, repo: ConnectSessionRepository, tx: Queryable) => Promise<ConnectSession>,
  ): Promise<ConnectSession> {
    return this.deps.db.transaction(async (tx: Queryable) => {
      const repo = new ConnectSessionRepository(tx);
      const stored = await repo.find(sessionId, { lock: true });
      if (!stored) throw notFoundSession();
      return this.project(await work(this.project(stored), repo, tx));
    });
  }

  private async readForPerson(sessionId: string, userId: string): Promise<ConnectSession> {
    const stored = await new ConnectSessionRepository(this.deps.db).find(sessionId);
    if (!stored) throw notFoundSession();
    const session = this.project(stored);
    if (session.userId !== userId) throw this.wrongPerson();
    this.requireLive(session);
    return session;
  }

  private requireLive(session: ConnectSession): void {
    if (session.status === ConnectSessionStatus.EXPIRED) {
      throw refuse(ErrorCode.BAD_USER_INPUT, "SESSION_EXPIRED", "This connect session has expired; ask the app to start a new one");
    }
    if (session.status === ConnectSessionStatus.COMPLETED || session.status === ConnectSessionStatus.DENIED) {
      throw refuse(ErrorCode.CONFLICT, "SESSION_FINISHED", `This connect session has already ended (${session.status})`);
    }
  }

  /** The bank is one the person chose and has not answered yet. */
  private requireBankOpen(session: ConnectSession, institutionId: string): void {
    this.requireOpened(session);
    const bank = session.banks.find((b) => b.institutionId === institutionId);
    if (!bank) throw refuse(ErrorCode.BAD_USER_INPUT, "INSTITUTION_NOT_OFFERED", `${institutionId} is not one of the banks chosen in this session`);
    if (bank.status === "LINKED" || bank.status === "DENIED") {
      throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", `${institutionId} has already answered in this session`);
    }
  }

  private requireOpened(session: ConnectSession): void {
    if (!session.openedAt) throw refuse(ErrorCode.CONFLICT, "OUT_OF_ORDER", "Open the connect session first");
  }

  private wrongPerson(): GatewayError {
    return refuse(ErrorCode.FORBIDDEN, "WRONG_PERSON", "This connect session was started for someone else; sign in as the person the app asked");
  }

  /** The status effective now: an unfinished session past its end is EXPIRED. */
  private project(session: ConnectSession): ConnectSession {
    const open = session.status === ConnectSessionStatus.PENDING || session.status === ConnectSessionStatus.IN_PROGRESS;
    return open && session.expiresAt.getTime() <= this.clock.now().getTime() ? { ...session, status: ConnectSessionStatus.EXPIRED } : session;
  }
}
