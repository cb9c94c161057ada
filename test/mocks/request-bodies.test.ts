/**
 * A bank data call's JSON body is read by the mocks' own reader when it is plain (UTF-8, length
 * given) and by body-parser otherwise (here: streamed, no length): over real HTTP at Wells
 * Fargo's transaction search, both readers give the route the same body and refuse the same
 * malformed ones with the same 400.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { bankSession } from "../support/bank-session.js";

const ID = "wells_fargo";
const SEARCH = "/v2/transactions/search";
let cluster: MockCluster;
let token: string;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: new Date("2026-06-15T00:00:00Z"), banks: [ID] });
  token = (await bankSession(ID, cluster.urls[ID]!)).accessToken;
});
afterAll(async () => {
  await cluster?.close();
});

/** POSTs `body` as JSON, with its length given or streamed in chunks without one. */
function post(body: string, framing: "length" | "streamed", contentType = "application/json"): Promise<{ status: number; text: string }> {
  const url = new URL(SEARCH, cluster.urls[ID]);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": contentType };
  if (framing === "length") headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (framing === "streamed") for (let i = 0; i < body.length; i += 7) req.write(body.slice(i, i + 7));
    else req.write(body);
    req.end();
  });
}

describe("mock bank request bodies", () => {
  it("gives the route the same body whichever reader reads it", async () => {
    const accountId = cluster.bank(ID).data.accountsOf("alice")[0]!.id;
    const body = JSON.stringify({ account_ids: [accountId], page_size: 3 });
    const [plain, streamed, withCharset] = await Promise.all([
      post(body, "length"),
      post(body, "streamed"),
      post(` \n${body}`, "length", "application/json; charset=utf-8"),
    ]);
    expect(plain.status).toBe(200);
    const ids = (text: string) =>
      (JSON.parse(text) as { results: Array<{ transactions: Array<{ transaction_id: string }> }> }).results[0]!.transactions.map((t) => t.transaction_id);
    expect(ids(plain.text)).toHaveLength(3);
    expect(ids(streamed.text)).toEqual(ids(plain.text));
    expect(ids(withCharset.text)).toEqual(ids(plain.text));
  });

  it.each([
    ["malformed JSON", '{"account_ids": ['],
    ["a JSON string, not an object or array", '"account_ids"'],
    ["a number", "42"],
  ])("refuses %s with 400 from either reader", async (_what, body) => {
    const [plain, streamed] = await Promise.all([post(body, "length"), post(body, "streamed")]);
    expect(plain.status).toBe(400);
    expect(streamed.status).toBe(400);
  });
});
