/**
 * The connect journey as Bankgraph's pages drive it (the ConnectJourney service), with the app on
 * real HTTP GraphQL and WebSocket, the real BankAuthorization (oauth4webapi) and a mock bank's own
 * OAuth pages walked over real HTTP by the person-at-bank driver: disclosure kept, the consent
 * created for the person (actor USER) with the session's terms, the outcome reaching the app by
 * redirect, query and subscription; wrong person, replays, expiry and cancellation refused or
 * answered clearly with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAsPerson } from "../../mocks/oauth/person-at-bank.js";
import { devClientFor } from "../../mocks/oauth/registered-clients.js";
import { ManualClock } from "../../src/clock.js";
import type { ConnectSessionService } from "../../src/connect/connect-session-service.js";
import { APP_REDIRECT_URI, startTestGateway, type TestGateway } from "../support/gateway.js";
import { closeClient, collect, subscribersReady, wsClient } from "../realtime/realtime-support.js";

const BANK = "wells_fargo";
const CREATE = `mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id url expiresAt } }`;
const READ = `query($id: ID!) { connectSession(id: $id) { id status banks { institutionId status consentId } linkedInstitutionIds consentIds } }`;
const FINISHED = `subscription { connectSessionFinished { id status linkedInstitutionIds consentIds } }`;
const ACCOUNTS = `{ accounts { id name mask institution { id } } }`;
const DISCLOSURE = "Messenger (test), operated by Messenger Test Ltd., wants to read …\nNot for advertising or cross-selling, not sold, not shared.";

describe("the connect journey the pages drive", () => {
  let t: TestGateway;
  let journey: ConnectSessionService;
  const clock = new ManualClock("2026-06-15T12:00:00Z");
  const bankCallback = devClientFor(BANK).redirectUris[0]!;
  let n = 0;
  const person = () => `person-${++n}-${Math.random().toString(36).slice(2, 8)}`;

  async function startSession(userId: string, input: Record<string, unknown> = {}) {
    const app = await t.token(userId);
    const { body } = await t.gql(
      CREATE,
      {
        input: {
          purpose: "ACCOUNT_OVERVIEW",
          scopes: ["accounts:read", "balances:read"],
          institutionIds: [BANK, "chase"],
          durationDays: 90,
          historyDays: 30,
          redirectUri: APP_REDIRECT_URI,
          state: "chat-42",
          ...input,
        },
      },
      app,
    );
    expect(body.errors).toBeUndefined();
    return { app, id: body.data.createConnectSession.id as string };
  }

  const stored = async (sql: string, params: unknown[]) => t.gateway.services.db.query<any>(sql, params);

  beforeAll(async () => {
    t = await startTestGateway({ clock, mocks: { banks: [BANK, "chase"] } });
    journey = t.gateway.services.connectSessions;
  });
  afterAll(() => t?.close());

  it("links the bank the person chose, with the accounts they chose there, and tells the app three ways", async () => {
    const userId = person();
    const { app, id } = await startSession(userId);
    const ws = wsClient(t.gateway, app);
    const events = collect(ws, FINISHED);
    await subscribersReady(t.gateway, userId);

    const view = await journey.open(id, userId);
    expect(view.session.status).toBe("IN_PROGRESS");
    expect(view.app).toEqual({ id: "messenger-test", displayName: "Messenger (test)", legalName: "Messenger Test Ltd." });
    expect(view.institutions.map((i) => i.id).sort()).toEqual(["chase", BANK]);
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("IN_PROGRESS");

    await expect(journey.chooseInstitutions(id, userId, [BANK])).rejects.toMatchObject({ extensions: { reason: "OUT_OF_ORDER" } });
    const disclosure = await journey.recordDisclosure(id, userId, { text: DISCLOSURE, templateVersion: "disclosure-v1" });
    const [row] = await stored("SELECT * FROM disclosures WHERE id = $1", [disclosure.id]);
    expect(row).toMatchObject({ connect_session_id: id, user_id: userId, client_id: "messenger-test", text: DISCLOSURE, template_version: "disclosure-v1" });
    expect(row.sha256).toBe("" + (await import("node:crypto")).createHash("sha256").update(DISCLOSURE).digest("hex"));

    await expect(journey.chooseInstitutions(id, userId, ["citi"])).rejects.toMatchObject({ extensions: { reason: "INSTITUTION_NOT_OFFERED" } });
    expect(await journey.chooseInstitutions(id, userId, [BANK])).toEqual({ kind: "BANK", institutionId: BANK });
    await expect(journey.beginBank(id, userId, "chase", bankCallback)).rejects.toMatchObject({ extensions: { reason: "INSTITUTION_NOT_OFFERED" } });

    const start = await journey.beginBank(id, userId, BANK, bankCallback);
    let offered: string[] = [];
    const redirect = await authorizeAsPerson({
      authorizationUrl: start.authorizationUrl,
      redirectUri: bankCallback,
      username: "alice",
      password: "pass_good",
      chooseAccounts: (accounts) => {
        offered = accounts.map((a) => a.id);
        return offered.slice(1); // one account left out at the bank
      },
    });
    expect(offered.length).toBeGreaterThan(1);

    // Another person cannot complete it; nothing changes.
    await expect(journey.completeBank(id, person(), redirect.location.searchParams)).rejects.toMatchObject({ extensions: { reason: "WRONG_PERSON" } });

    const step = await journey.completeBank(id, userId, redirect.location.searchParams);
    expect(step).toMatchObject({ institutionId: BANK, outcome: "LINKED", next: { kind: "FINISH" } });
    expect(step.accountIds.sort()).toEqual(offered.slice(1).sort());

    // The replayed callback: refused, still one consent.
    await expect(journey.completeBank(id, userId, redirect.location.searchParams)).rejects.toMatchObject({ extensions: { reason: "OUT_OF_ORDER" } });
    const consents = await stored("SELECT * FROM consents WHERE user_id = $1", [userId]);
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      id: step.consentId,
      client_id: "messenger-test",
      status: "AUTHORIZED",
      purpose: "ACCOUNT_OVERVIEW",
      duration_days: 90,
      history_days: 30,
    });
    expect(consents[0].scopes).toEqual(["accounts:read", "balances:read"]);
    const authorized = await stored("SELECT actor, detail FROM consent_events WHERE consent_id = $1 AND type = 'AUTHORIZED'", [step.consentId]);
    expect(authorized).toEqual([{ actor: "USER", detail: expect.objectContaining({ connectSessionId: id, disclosureSha256: disclosure.sha256 }) }]);

    const done = await journey.finish(id, userId);
    const back = new URL(done.redirectUrl);
    expect(`${back.origin}${back.pathname}`).toBe(APP_REDIRECT_URI);
    expect(Object.fromEntries(back.searchParams)).toEqual({ connect_session_id: id, status: "COMPLETED", state: "chat-42" });

    const event = await events.nth(1);
    expect(event.data?.connectSessionFinished).toMatchObject({ id, status: "COMPLETED", linkedInstitutionIds: [BANK] });
    const read = (await t.gql(READ, { id }, app)).body.data.connectSession;
    expect(read).toMatchObject({ status: "COMPLETED", linkedInstitutionIds: [BANK] });
    expect(read.consentIds).toEqual(event.data?.connectSessionFinished.consentIds);
    expect(read.consentIds).toHaveLength(1);

    // The app reads at once: exactly the accounts chosen at the bank.
    const accounts = (await t.gql(ACCOUNTS, {}, app)).body.data.accounts;
    expect(accounts).toHaveLength(offered.length - 1);

    await expect(journey.finish(id, userId)).rejects.toMatchObject({ extensions: { reason: "SESSION_FINISHED" } });
    await expect(journey.open(id, userId)).rejects.toMatchObject({ extensions: { reason: "SESSION_FINISHED" } });
    await closeClient(ws, t.gateway, userId);
  });

  it("a Cancel at the bank, then on Bankgraph's page: access_denied with the app's state, nothing stored, the app told", async () => {
    const userId = person();
    const { app, id } = await startSession(userId, { state: "s-99" });
    const ws = wsClient(t.gateway, app);
    const events = collect(ws, FINISHED);
    await subscribersReady(t.gateway, userId);
    await journey.open(id, userId);
    await journey.recordDisclosure(id, userId, { text: DISCLOSURE, templateVersion: "disclosure-v1" });
    await journey.chooseInstitutions(id, userId, [BANK]);
    const start = await journey.beginBank(id, userId, BANK, bankCallback);
    const redirect = await authorizeAsPerson({
      authorizationUrl: start.authorizationUrl,
      redirectUri: bankCallback,
      username: "alice",
      password: "pass_good",
      cancelAt: "allow",
    });
    expect(redirect.location.searchParams.get("error")).toBe("access_denied");
    expect(await journey.completeBank(id, userId, redirect.location.searchParams)).toMatchObject({
      outcome: "DENIED",
      consentId: null,
      next: { kind: "FINISH" },
    });

    const cancelled = await journey.cancel(id, userId);
    expect(Object.fromEntries(new URL(cancelled.redirectUrl).searchParams)).toEqual({ error: "access_denied", connect_session_id: id, state: "s-99" });
    expect((await events.nth(1)).data?.connectSessionFinished).toEqual({ id, status: "DENIED", linkedInstitutionIds: [], consentIds: [] });
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("DENIED");
    expect(await stored("SELECT id FROM consents WHERE user_id = $1", [userId])).toEqual([]);
    expect(await stored("SELECT id FROM links WHERE user_id = $1", [userId])).toEqual([]);
    await closeClient(ws, t.gateway, userId);
  });

  it("refuses the wrong person, an expired session and a stranger's cancel, storing nothing", async () => {
    const userId = person();
    const { app, id } = await startSession(userId);
    await expect(journey.open(id, person())).rejects.toMatchObject({ extensions: { code: "FORBIDDEN", reason: "WRONG_PERSON" } });
    await expect(journey.open("00000000-0000-4000-8000-000000000000", userId)).rejects.toMatchObject({
      extensions: { code: "NOT_FOUND", reason: "SESSION_NOT_FOUND" },
    });
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("PENDING");

    await journey.open(id, userId);
    // Once someone is in it, the bare URL (no sign-in) cannot end it.
    await expect(journey.cancel(id, null)).rejects.toMatchObject({ extensions: { reason: "WRONG_PERSON" } });

    clock.advance(31 * 60 * 1000);
    await expect(journey.open(id, userId)).rejects.toMatchObject({ extensions: { reason: "SESSION_EXPIRED" } });
    await expect(journey.recordDisclosure(id, userId, { text: DISCLOSURE, templateVersion: "v1" })).rejects.toMatchObject({
      extensions: { reason: "SESSION_EXPIRED" },
    });
    await expect(journey.cancel(id, userId)).rejects.toMatchObject({ extensions: { reason: "SESSION_EXPIRED" } });
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("EXPIRED");
    expect(await stored("SELECT id FROM disclosures WHERE connect_session_id = $1", [id])).toEqual([]);
  });

  it("lets a session nobody opened be cancelled from its URL before sign-in", async () => {
    const userId = person();
    const { id } = await startSession(userId, { state: "before-sign-in" });
    const cancelled = await journey.cancel(id, null);
    expect(new URL(cancelled.redirectUrl).searchParams.get("error")).toBe("access_denied");
    expect(new URL(cancelled.redirectUrl).searchParams.get("state")).toBe("before-sign-in");
  });
});
