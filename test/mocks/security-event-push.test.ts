/**
 * How a mock bank pushes a Security Event Token (RFC 8935), against a real HTTP receiver: the SET as
 * `application/secevent+jwt`; a receiver that answers 5xx (or cannot be reached) is tried again with
 * the same SET and backoff until it answers 202; a 400 with an RFC 8935 error is final.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SecurityEventPusher } from "../../mocks/oauth/security-event-push.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A receiver answering each push with the next of `answers`; returns its URL and what it received. */
async function receiver(answers: Array<{ status: number; body?: object }>) {
  const received: Array<{ contentType: string | undefined; body: string }> = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ contentType: req.headers["content-type"], body });
      const answer = answers[Math.min(received.length, answers.length) - 1]!;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body ? JSON.stringify(answer.body) : undefined);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bank-notifications/x`, received };
}

describe("SecurityEventPusher", () => {
  it("retries a failing receiver with the same SET until it answers 202", async () => {
    const { url, received } = await receiver([{ status: 503 }, { status: 500 }, { status: 202 }]);
    const pusher = new SecurityEventPusher({ firstRetryMs: 10 });
    const delivery = await pusher.push(url, "jti-1", "a.b.c");
    expect(delivery).toMatchObject({ jti: "jti-1", status: 202, attempts: 3, error: null, done: true });
    expect(received).toEqual(Array.from({ length: 3 }, () => ({ contentType: "application/secevent+jwt", body: "a.b.c" })));
  });

  it("stops at a final refusal (400 with an RFC 8935 error)", async () => {
    const { url, received } = await receiver([{ status: 400, body: { err: "invalid_key", description: "no" } }]);
    const delivery = await new SecurityEventPusher({ firstRetryMs: 10 }).push(url, "jti-2", "a.b.c");
    expect(delivery).toMatchObject({ status: 400, attempts: 1, error: "invalid_key", done: true });
    expect(received).toHaveLength(1);
  });

  it("gives up after its attempts when the receiver cannot be reached", async () => {
    const { url } = await receiver([{ status: 202 }]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const pusher = new SecurityEventPusher({ attempts: 3, firstRetryMs: 10 });
    void pusher.push(url, "jti-3", "a.b.c");
    await pusher.settled();
    expect(pusher.deliveries()).toEqual([expect.objectContaining({ status: 0, attempts: 3, done: true })]);
  });
});
