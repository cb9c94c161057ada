/**
 * The client SDK end to end: `npm run sdk`'s codegen CLI generates it into a temp dir, strict
 * `tsc` type-checks it with the example app (examples/sdk-app) and a file of misuses that must
 * not compile, then the app calls the running gateway through it and gets typed data, typed
 * consent errors and typed bank errors. The persisted-documents manifest is checked entry by entry.
 */
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DenialReason } from "../../src/consent/consent-view.js";
import { ErrorCode } from "../../src/errors.js";
import { loadExampleOperations } from "../../src/playground/example-operations.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const run = promisify(execFile);

/**
 * What the test uses of the generated SDK and the example app, typed here: both live in a temp dir
 * (the repository's sdk/generated/ is gitignored), so `tsc -p .` cannot see their own types.
 */
interface ExampleApp {
  readDashboard(
    url: string,
    token: string,
    send?: "document" | "documentId",
  ): Promise<{
    balances: Array<{ institutionId: string; mask: string; amount: string; currency: string }>;
    consentErrors: Array<{ institutionId: string; requiredScopes: string[][]; reason: string; path: string }>;
    bankErrors: string[];
    firstPageIds: string[];
    secondPageIds: string[];
  }>;
}
interface GeneratedSdk {
  DashboardDocument: unknown;
  createBankgraphClient(options: { url: string; token?: string }): {
    request(document: unknown): Promise<{ data: unknown; errors: unknown[]; status: number }>;
  };
  errorCodeOf(error: unknown): string | undefined;
}
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DECIMAL = /^-?\d+\.\d{2}$/;
const SDK_SOURCES = ["client.ts", "errors.ts", "index.ts"];

/** Misuses of the SDK that must not compile: each `@ts-expect-error` is unused (an error) if the types were loose. */
const TYPE_ASSERTIONS = `
import { AccountTransactionsDocument, BankgraphErrorCode, createBankgraphClient, isConsentError, type DashboardQuery } from "./sdk/index.js";

type DashboardAccount = NonNullable<DashboardQuery["accounts"][number]>;

export function misuses(account: DashboardAccount, error: unknown): void {
  const bankgraph = createBankgraphClient({ url: "http://localhost:4000/graphql" });
  // @ts-expect-error AccountTransactions needs its accountId variable.
  void bankgraph.request(AccountTransactionsDocument);
  // @ts-expect-error first is an Int, not a string.
  void bankgraph.request(AccountTransactionsDocument, { accountId: "x", first: "3" });
  // @ts-expect-error the dashboard does not select the owner.
  void account.owner;
  // @ts-expect-error balance is nullable (a consent may withhold it).
  void account.balance.current;
  // @ts-expect-error not a code the gateway has.
  const wrong: BankgraphErrorCode = "NOT_A_CODE";
  void wrong;
  if (isConsentError(error)) {
    const scopes: string[][] = error.extensions.requiredScopes;
    // @ts-expect-error reason is a ConsentDenialReason, not any string.
    const reason: "SOMETHING_ELSE" = error.extensions.reason;
    void scopes;
    void reason;
  }
}
`;

let dir: string;
let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  await mkdir(join(ROOT, "test/artifacts"), { recursive: true });
  // Inside the repository so that the generated code resolves the repository's node_modules.
  dir = await mkdtemp(join(ROOT, "test/artifacts/sdk-"));
  await mkdir(join(dir, "sdk"), { recursive: true });
  for (const file of SDK_SOURCES) await cp(join(ROOT, "sdk", file), join(dir, "sdk", file));
  await cp(join(ROOT, "examples/sdk-app"), join(dir, "examples/sdk-app"), { recursive: true });
  await writeFile(join(dir, "type-assertions.ts"), TYPE_ASSERTIONS);
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023", "DOM"],
        types: [],
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        isolatedModules: true,
      },
      files: ["examples/sdk-app/dashboard.ts", "type-assertions.ts"],
    }),
  );
  // Exactly what `npm run sdk` runs, redirected into the temp dir.
  await run(join(ROOT, "node_modules/.bin/graphql-codegen"), ["--config", "codegen.ts"], {
    cwd: ROOT,
    env: { ...process.env, BANKGRAPH_SDK_OUT: join(dir, "sdk/generated/") },
  });

  t = await startTestGateway();
  user = await t.newUser("sdk", ["chase", "citi", "wells_fargo"]);
  await t.grant(user, "chase", ["accounts:read", "balances:read", "transactions:read"]);
  await t.grant(user, "citi", ["accounts:read", "balances:read"]);
  await t.grant(user, "wells_fargo", ["accounts:read", "balances:read", "transactions:read"]);
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("generated SDK", () => {
  it("type-checks with strict tsc, and the misuses do not compile", async () => {
    const result = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")]).then(
      () => ({ code: 0, output: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 60_000);

  it("calls the gateway and returns typed data, consent errors and bank errors", async () => {
    await t.mocks.bank("wells_fargo").setFaults({ down: true });
    try {
      const app = (await import(pathToFileURL(join(dir, "examples/sdk-app/dashboard.ts")).href)) as ExampleApp;
      const summary = await app.readDashboard(t.url, user.app);

      // The same dashboard read directly, to compare with what came through the SDK.
      const direct = await t.gql(`{ accounts { mask institution { id } balance { current { amount currency } } } }`, {}, user.app);
      const accounts: any[] = direct.body.data!.accounts;
      const expectedBalances = accounts
        .filter((a) => a !== null)
        .map((a) => ({ institutionId: a.institution.id, mask: a.mask, amount: a.balance.current.amount, currency: a.balance.current.currency }));
      expect(summary.balances).toEqual(expectedBalances);
      expect(new Set(summary.balances.map((b) => b.institutionId))).toEqual(new Set(["chase", "citi"]));
      for (const balance of summary.balances) expect(balance.amount).toMatch(DECIMAL);

      const citiIndexes = accounts.flatMap((a, index) => (a?.institution.id === "citi" ? [index] : []));
      expect(citiIndexes.length).toBeGreaterThan(0);
      expect(summary.consentErrors).toEqual(
        citiIndexes.map((index) => ({
          institutionId: "citi",
          requiredScopes: [["transactions:read"]],
          reason: "NOT_GRANTED",
          path: `accounts.${index}.transactions`,
        })),
      );
      expect(summary.bankErrors).toEqual(["wells_fargo: INSTITUTION_DOWN"]);

      expect(summary.firstPageIds).toHaveLength(3);
      expect(summary.secondPageIds).toHaveLength(3);
      expect(new Set([...summary.firstPageIds, ...summary.secondPageIds]).size).toBe(6);
    } finally {
      await t.mocks.bank("wells_fargo").resetFaults();
    }
  });

  it("runs by documentId against a gateway that loaded the manifest in trusted-documents mode", async () => {
    // A second instance over the same store and banks, that runs registered documents only.
    const trusted = await startTestGateway({
      env: { TRUSTED_DOCUMENTS: join(dir, "sdk/generated/persisted-documents.json"), TRUSTED_DOCUMENTS_ONLY: "true" },
      cluster: t.mocks,
      db: t.gateway.services.db,
    });
    try {
      const member = user;
      const app = (await import(pathToFileURL(join(dir, "examples/sdk-app/dashboard.ts")).href)) as ExampleApp;
      const summary = await app.readDashboard(trusted.url, member.app, "documentId");
      expect(new Set(summary.balances.map((b) => b.institutionId))).toEqual(new Set(["chase", "citi", "wells_fargo"]));
      expect(summary.bankErrors).toEqual([]);
      expect(summary.consentErrors.map((e) => [e.institutionId, e.reason])).toEqual(summary.consentErrors.map(() => ["citi", "NOT_GRANTED"]));
      expect(summary.consentErrors.length).toBeGreaterThan(0);
      expect(summary.secondPageIds).toHaveLength(3);

      // The same operation as free text is not a registered document: refused before it is parsed.
      const sdk = (await import(pathToFileURL(join(dir, "sdk/index.ts")).href)) as GeneratedSdk;
      const asText = await sdk.createBankgraphClient({ url: trusted.url, token: member.app }).request(sdk.DashboardDocument);
      expect(asText.data).toBeNull();
      expect(asText.errors.map((e) => sdk.errorCodeOf(e))).toEqual(["TRUSTED_DOCUMENT_REQUIRED"]);
    } finally {
      await trusted.close();
    }
  }, 90_000);

  it("lists exactly the gateway's error codes and denial reasons, and schema.graphql documents every code", async () => {
    const generated = (await import(pathToFileURL(join(dir, "sdk/generated/error-codes.ts")).href)) as {
      BankgraphErrorCode: Record<string, string>;
      ConsentDenialReason: Record<string, string>;
    };
    expect(Object.values(generated.BankgraphErrorCode)).toEqual(Object.values(ErrorCode));
    expect(Object.values(generated.ConsentDenialReason)).toEqual(Object.values(DenialReason));
    const description = buildSchema(await readFile(join(ROOT, "schema.graphql"), "utf8")).description ?? "";
    expect(Object.values(ErrorCode).filter((code) => !description.includes(`- ${code}: `))).toEqual([]);
  });
});

describe("persisted-documents.json", () => {
  let manifest: Record<string, string>;
  beforeAll(async () => {
    manifest = JSON.parse(await readFile(join(dir, "sdk/generated/persisted-documents.json"), "utf8"));
  });

  const operationOf = (document: string): OperationDefinitionNode => {
    const definitions = parse(document).definitions;
    expect(definitions).toHaveLength(1);
    expect(definitions[0]!.kind).toBe(Kind.OPERATION_DEFINITION);
    return definitions[0] as OperationDefinitionNode;
  };

  it("keys every entry by the sha256 hex of its document, one entry per example operation", async () => {
    for (const [id, document] of Object.entries(manifest)) {
      expect(id).toBe(createHash("sha256").update(document, "utf8").digest("hex"));
    }
    const names = Object.values(manifest).map((document) => operationOf(document).name!.value);
    const examples = (await loadExampleOperations()).map((o) => o.name);
    expect(names.sort()).toEqual(examples.sort());
  });

  it("holds documents valid against schema.graphql", async () => {
    const schema = buildSchema(await readFile(join(ROOT, "schema.graphql"), "utf8"));
    for (const document of Object.values(manifest)) expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it("matches the IDs the SDK's documents carry", async () => {
    const generated = (await import(pathToFileURL(join(dir, "sdk/generated/graphql.ts")).href)) as Record<string, unknown>;
    const documents = Object.entries(generated).filter(([name]) => name.endsWith("Document"));
    expect(documents.length).toBe(Object.keys(manifest).length);
    for (const [name, document] of documents) {
      const { __meta__ } = document as { __meta__?: { documentId?: string } };
      const persisted = manifest[__meta__!.documentId!];
      expect(persisted, `${name} is not in the manifest`).toBeDefined();
      expect(`${operationOf(persisted!).name!.value}Document`).toBe(name);
      expect(operationOf(String(document)).name!.value).toBe(operationOf(persisted!).name!.value);
    }
  });
});
