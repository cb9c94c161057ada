/**
 * Apps are registered, not assumed: `bankgraph client add|list|remove` against a real store (PGlite
 * under DATA_DIR), the CLIENTS_FILE a deployment applies at start, and the webhook key kept
 * encrypted and shown only as a fingerprint.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/open-database.js";
import { startTestGateway } from "../support/gateway.js";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const WEBHOOK_KEY = "whk_0123456789abcdef0123456789abcdef-secret";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankgraph-apps-"));
  await writeFile(join(dir, "webhook.key"), `${WEBHOOK_KEY}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function client(args: string[]) {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: join(dir, "store"), LOG_LEVEL: "silent" };
  return run(process.execPath, ["bin/bankgraph.js", "client", ...args], { cwd: ROOT, env, timeout: 120_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

const ADD = [
  "add",
  "--id",
  "chat-app",
  "--name",
  "Chat",
  "--legal-name",
  "Chat Inc.",
  "--purpose",
  "RECEIPTS_AND_SHIPPING",
  "--scope",
  "accounts:read",
  "--scope",
  "receipts:read",
  "--redirect-uri",
  "https://chat.example/bankgraph/back",
  "--webhook-url",
  "https://chat.example/hooks/bankgraph",
  "--webhook-key-file",
];

describe("bankgraph client", () => {
  it("refuses a bad registration naming every bad field, and stores nothing", async () => {
    const refused = await client([
      "add",
      "--id",
      "Bad App",
      "--name",
      "Bad",
      "--legal-name",
      "Bad Ltd.",
      "--purpose",
      "ADVERTISING",
      "--scope",
      "transfers:write",
      "--redirect-uri",
      "http://bad.example/cb",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Invalid app registration:");
    expect(refused.stderr).toContain("id: 2-63 characters");
    expect(refused.stderr).toContain("allowedPurposes.0: ADVERTISING can never be allowed");
    expect(refused.stderr).toContain("allowedScopes.0:");
    expect(refused.stderr).toContain("redirectUris.0: a redirect URI must use https (http only for localhost)");
    // Stored nothing: the next test's `list` shows only the app it adds.
  }, 120_000);
  it("adds, lists and removes an app; the webhook key is stored encrypted and never printed", async () => {
    const added = await client([...ADD, join(dir, "webhook.key")]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain(WEBHOOK_KEY);

    const listed = await client(["list"]);
    const apps = listed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(apps).toEqual([
      {
        id: "chat-app",
        displayName: "Chat",
        legalName: "Chat Inc.",
        allowedPurposes: ["RECEIPTS_AND_SHIPPING"],
        allowedScopes: ["accounts:read", "receipts:read"],
        redirectUris: ["https://chat.example/bankgraph/back"],
        webhookUrl: "https://chat.example/hooks/bankgraph",
        webhookKeyFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      },
    ]);
    expect(listed.stdout).not.toContain(WEBHOOK_KEY.slice(0, 12));

    const db = await openDatabase({ dataDir: join(dir, "store") });
    try {
      const rows = await db.query<Record<string, unknown>>("SELECT * FROM clients WHERE id = 'chat-app'");
      expect(JSON.stringify(rows)).not.toContain(WEBHOOK_KEY);
      expect(rows[0]!["webhook_key_ciphertext"]).toMatch(/^v1\./);
    } finally {
      await db.close();
    }

    expect((await client(["remove", "chat-app"])).code).toBe(0);
    // Removed: not listed, not removable again.
    expect(await client(["remove", "chat-app"])).toMatchObject({ code: 1, stderr: "No registered app chat-app\n" });
  }, 240_000);
});

describe("CLIENTS_FILE", () => {
  it("registers the file's apps at start; their tokens work and their redirect URIs are exact", async () => {
    const file = join(dir, "clients.json");
    await writeFile(
      file,
      JSON.stringify({
        clients: [
          {
            id: "deploy-app",
            displayName: "Deployed",
            legalName: "Deployed Corp.",
            allowedPurposes: ["ACCOUNT_OVERVIEW"],
            allowedScopes: ["accounts:read", "balances:read"],
            redirectUris: ["https://deployed.example/back"],
          },
        ],
      }),
    );
    const t = await startTestGateway({ mocks: { banks: ["chase"] }, env: { CLIENTS_FILE: file } });
    try {
      const token = await t.token("kim", { client: "deploy-app" });
      const input = {
        purpose: "ACCOUNT_OVERVIEW",
        scopes: ["accounts:read"],
        durationDays: 30,
        redirectUri: "https://deployed.example/back",
        state: "x",
      };
      const created = await t.gql(`mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id } }`, { input }, token);
      expect(created.body.errors).toBeUndefined();
      const wrong = await t.gql(
        `mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id } }`,
        { input: { ...input, redirectUri: "https://deployed.example/back/" } },
        token,
      );
      expect(wrong.body.errors![0]!.extensions!.reason).toBe("REDIRECT_URI_NOT_REGISTERED");
    } finally {
      await t.close();
    }
  });

  it("stops the start naming the file and every bad field", async () => {
    const file = join(dir, "bad-clients.json");
    await writeFile(
      file,
      JSON.stringify({ clients: [{ id: "x1", displayName: "X", legalName: "X", allowedPurposes: ["MARKETING"], allowedScopes: [], redirectUris: [] }] }),
    );
    await expect(startTestGateway({ mocks: { banks: ["chase"] }, env: { CLIENTS_FILE: file } })).rejects.toThrow(
      new RegExp(`CLIENTS_FILE ${file} is invalid: clients\\.0\\.allowedPurposes\\.0: MARKETING can never be allowed.*clients\\.0\\.allowedScopes`),
    );
  });
});
