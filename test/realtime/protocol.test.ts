/**
 * The GraphQL over WebSocket protocol at /graphql, spoken with a raw `ws` socket where the client
 * library would refuse to misbehave: close codes for init timeout, subscribe before ack, duplicate
 * id, a second init and every kind of bad token; queries refused over WebSocket; request errors
 * with the gateway's codes.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { collect, wsClient, wsUrl } from "./realtime-support.js";

const PROTOCOL = "graphql-transport-ws";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase"] } });
});
afterAll(() => t?.close());

/** A raw socket speaking the protocol, with every message and the close recorded. */
async function rawSocket(protocol: string | null = PROTOCOL, gateway: TestGateway = t) {
  const socket = protocol === null ? new WebSocket(wsUrl(gateway.gateway)) : new WebSocket(wsUrl(gateway.gateway), protocol);
  const messages: Array<Record<string, unknown>> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on("message", (data) => messages.push(JSON.parse((data as Buffer).toString("utf8")) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  const next = async (type: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find((m) => m["type"] === type);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { socket, messages, closed, send, next };
}

async function ackedSocket(token: string, gateway: TestGateway = t) {
  const raw = await rawSocket(PROTOCOL, gateway);
  raw.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
  await raw.next("connection_ack");
  return raw;
}

const SUBSCRIPTION = "subscription { transactionPosted { id } }";

describe("connection", () => {
  it("closes the socket with 4403 when the token expires, ending its subscriptions", async () => {
    const token = await t.token(`expiring-${randomUUID().slice(0, 8)}`, { expiresIn: 2 });
    const raw = await ackedSocket(token);
    raw.send({ id: "s1", type: "subscribe", payload: { query: SUBSCRIPTION } });
    const started = Date.now();
    const closed = await raw.closed;
    expect(closed).toEqual({ code: 4403, reason: "Token expired" });
    // Not before the token's own expiry (minted with 2 s to live; the close follows `exp`).
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it("acknowledges a connection_init with a valid token", async () => {
    const raw = await ackedSocket(await t.token("proto-ok"));
    expect(raw.messages).toEqual([{ type: "connection_ack" }]);
    raw.socket.close(1000);
  });

  it("closes with 4408 when connection_init does not come within 3 seconds", async () => {
    const raw = await rawSocket();
    expect(await raw.closed).toEqual({ code: 4408, reason: "Connection initialisation timeout" });
    expect(raw.messages).toEqual([]);
  });

  it("closes with 4401 on a subscribe before the connection is acknowledged", async () => {
    const raw = await rawSocket();
    raw.send({ type: "subscribe", id: "1", payload: { query: SUBSCRIPTION } });
    expect(await raw.closed).toEqual({ code: 4401, reason: "Unauthorized" });
  });

  it("closes with 4409 when a subscription id is used twice", async () => {
    const raw = await ackedSocket(await t.token("proto-dup"));
    raw.send({ type: "subscribe", id: "same", payload: { query: SUBSCRIPTION } });
    raw.send({ type: "subscribe", id: "same", payload: { query: SUBSCRIPTION } });
    expect(await raw.closed).toEqual({ code: 4409, reason: "Subscriber for same already exists" });
  });

  it("closes with 4429 on a second connection_init", async () => {
    const raw = await ackedSocket(await t.token("proto-twice"));
    raw.send({ type: "connection_init", payload: { authorization: `Bearer ${await t.token("proto-twice")}` } });
    expect(await raw.closed).toEqual({ code: 4429, reason: "Too many initialisation requests" });
  });

  it("closes with 4406 when the client asks for no subprotocol", async () => {
    const raw = await rawSocket(null);
    expect(await raw.closed).toEqual({ code: 4406, reason: "Subprotocol not acceptable" });
  });

  it("agrees no subprotocol with a client that only speaks the legacy graphql-ws one", async () => {
    await expect(rawSocket("graphql-ws")).rejects.toThrow("Server sent no subprotocol");
  });
});

describe("bad tokens close the socket with 4403 Forbidden", () => {
  const wrongSecret = () =>
    new SignJWT({ client_id: "messenger-test", scope: "" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("mallory")
      .setIssuer(t.config.jwt.issuer)
      .setAudience(t.config.jwt.audience)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("not-the-gateway-secret-not-the-gateway-secret"));

  const cases: Array<[string, () => Promise<Record<string, unknown> | undefined>]> = [
    ["no payload", async () => undefined],
    ["no authorization", async () => ({})],
    ["not a bearer token", async () => ({ authorization: `Basic ${Buffer.from("alice:pass_good").toString("base64")}` })],
    ["a malformed token", async () => ({ authorization: "Bearer not.a.jwt" })],
    ["an expired token", async () => ({ authorization: `Bearer ${await t.token("proto-expired", { now: new Date(Date.now() - 3_600_000), expiresIn: 60 })}` })],
    ["a token signed with another key", async () => ({ authorization: `Bearer ${await wrongSecret()}` })],
    ["a token in the wrong field", async () => ({ token: await t.token("proto-field") })],
    ["a non-string authorization", async () => ({ authorization: { bearer: await t.token("proto-object") } })],
  ];

  it.each(cases)("%s", async (_name, payload) => {
    const raw = await rawSocket();
    const body = await payload();
    raw.send(body === undefined ? { type: "connection_init" } : { type: "connection_init", payload: body });
    expect(await raw.closed).toEqual({ code: 4403, reason: "Forbidden" });
    expect(raw.messages).toEqual([]);
  });

  it("the client library reports the 4403 close as the end of the subscription", async () => {
    const client = wsClient(t.gateway, "garbage");
    const sub = collect(client, SUBSCRIPTION);
    const ended = (await sub.ended) as { code: number; reason: string };
    expect([ended.code, ended.reason]).toEqual([4403, "Forbidden"]);
    expect(sub.results).toEqual([]);
    await client.dispose();
  });
});

describe("operations", () => {
  it("refuses queries and mutations over WebSocket with BAD_REQUEST (they go over HTTP)", async () => {
    const raw = await ackedSocket(await t.token("proto-query"));
    const id = randomUUID();
    raw.send({ type: "subscribe", id, payload: { query: "{ institutions { id } }" } });
    expect(await raw.next("error")).toEqual({
      type: "error",
      id,
      payload: [{ message: "Only subscriptions run over WebSocket; send queries and mutations over HTTP", extensions: { code: "BAD_REQUEST" } }],
    });
    raw.socket.close(1000);
  });

  it("answers a syntax error with GRAPHQL_PARSE_FAILED and keeps the socket open", async () => {
    const raw = await ackedSocket(await t.token("proto-parse"));
    raw.send({ type: "subscribe", id: "p", payload: { query: "subscription {" } });
    const error = await raw.next("error");
    expect((error["payload"] as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    raw.send({ type: "ping" });
    expect(await raw.next("pong")).toEqual({ type: "pong" });
    raw.socket.close(1000);
  });

  it("answers an unknown field with GRAPHQL_VALIDATION_FAILED", async () => {
    const raw = await ackedSocket(await t.token("proto-invalid"));
    raw.send({ type: "subscribe", id: "v", payload: { query: "subscription { passwordChanged { id } }" } });
    const error = await raw.next("error");
    expect(error["payload"]).toEqual([
      {
        message: 'Cannot query field "passwordChanged" on type "Subscription".',
        locations: [{ line: 1, column: 16 }],
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      },
    ]);
    raw.socket.close(1000);
  });

  it("ends a subscription when the client completes it, and forgets the subscriber", async () => {
    const user = `proto-complete-${randomUUID().slice(0, 6)}`;
    const raw = await ackedSocket(await t.token(user));
    raw.send({ type: "subscribe", id: "c", payload: { query: SUBSCRIPTION } });
    const topic = `user:${user}`;
    const pubsub = t.gateway.services.realtime.pubsub;
    for (let i = 0; pubsub.subscriberCount(topic) === 0; i++) {
      if (i > 500) throw new Error("subscription never registered");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    raw.send({ type: "complete", id: "c" });
    for (let i = 0; pubsub.subscriberCount(topic) > 0; i++) {
      if (i > 500) throw new Error("subscription never released");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pubsub.subscriberCount(topic)).toBe(0);
    raw.socket.close(1000);
  });
});

describe("trusted-documents mode (production's default) holds over WebSocket too", () => {
  const REGISTERED = "subscription OnPosted { transactionPosted { id } }";
  const registeredId = createHash("sha256").update(REGISTERED).digest("hex");
  let trusted: TestGateway;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bankgraph-trusted-"));
    const manifest = join(dir, "persisted-documents.json");
    await writeFile(manifest, JSON.stringify({ [registeredId]: REGISTERED }));
    trusted = await startTestGateway({ cluster: t.mocks, env: { TRUSTED_DOCUMENTS: manifest, TRUSTED_DOCUMENTS_ONLY: "true" } });
  });
  afterAll(async () => {
    await trusted?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function subscribeOn(payload: Record<string, unknown>) {
    const user = `proto-trusted-${randomUUID().slice(0, 6)}`;
    const raw = await ackedSocket(await t.token(user), trusted);
    raw.send({ type: "subscribe", id: "s", payload });
    return { raw, user };
  }

  it("refuses free-form subscription text with TRUSTED_DOCUMENT_REQUIRED", async () => {
    const { raw } = await subscribeOn({ query: "subscription { transactionPosted { id amount { amount } } }" });
    const error = await raw.next("error");
    expect((error["payload"] as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code)).toEqual(["TRUSTED_DOCUMENT_REQUIRED"]);
    raw.socket.close(1000);
  });

  it("refuses an unknown document id with PERSISTED_QUERY_NOT_FOUND", async () => {
    const { raw } = await subscribeOn({ query: "", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    const error = await raw.next("error");
    expect((error["payload"] as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    raw.socket.close(1000);
  });

  it.each([
    ["the registered text", { query: REGISTERED }],
    ["its documentId", { query: "", extensions: { documentId: `sha256:${registeredId}` } }],
  ])("runs a registered subscription sent as %s", async (_name, payload) => {
    const { raw, user } = await subscribeOn(payload);
    const pubsub = trusted.gateway.services.realtime.pubsub;
    for (let i = 0; pubsub.subscriberCount(`user:${user}`) === 0; i++) {
      if (i > 500) throw new Error(`not subscribed; got ${JSON.stringify(raw.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(raw.messages).toEqual([{ type: "connection_ack" }]);
    raw.socket.close(1000);
  });
});
