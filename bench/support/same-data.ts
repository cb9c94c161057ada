/**
 * Before a comparison is timed, each side answers once and the answers are fingerprinted: a
 * baseline that returned less data would look faster for the wrong reason.
 */
import type { BenchContext } from "./bench-context.js";
import { fingerprint, graphqlBody, postJson, type AccountLike, type Fingerprint } from "./dashboard.js";

/** One answer of a GraphQL target, fingerprinted; throws on errors. */
export async function graphqlFingerprint(context: BenchContext, url: string, query: string, userId: string): Promise<Fingerprint> {
  return fingerprint((await graphqlAnswer(context, url, query, userId)).data.accounts);
}

/** One answer of a GraphQL target; throws on errors. */
export async function graphqlAnswer(context: BenchContext, url: string, query: string, userId: string): Promise<{ data: { accounts: AccountLike[] } }> {
  const answer = await postJson<{ data?: { accounts: AccountLike[] }; errors?: unknown[] }>(url, graphqlBody(query), {
    authorization: `Bearer ${await context.token(userId)}`,
  });
  if (answer.errors?.length || !answer.data) throw new Error(`${url}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
  return { data: answer.data };
}

/** Fields a second server mints differently (global IDs name its links; cursors are signed with its key) or stamps with the time of its own call. */
const MINTED_OR_TIMED = new Set(["id", "pendingTransactionId", "endCursor", "asOf"]);

/**
 * The same answer as GraphQL JSON, but from a server that takes a plain POST body (the floor):
 * fingerprinted, and equal to `expected` field by field once what is minted per server (global
 * IDs, which name the server's links; signed cursors) is set aside.
 */
export async function sameJsonFingerprint(url: string, body: string, expected: { data: { accounts: AccountLike[] } }): Promise<Fingerprint> {
  const answer = await postJson<{ data: { accounts: AccountLike[] } }>(url, body);
  // Accounts in any order: the gateway lists them in its links' order, the floor in the request's.
  const comparable = (value: { data: { accounts: AccountLike[] } }) =>
    value.data.accounts
      .map((account) =>
        JSON.stringify(account, (key, v: unknown) =>
          // An institution's status is its recent health, which a failed call during seeding may have changed.
          MINTED_OR_TIMED.has(key) ? typeof v : key === "institution" ? { ...(v as object), status: typeof (v as { status: unknown }).status } : v,
        ),
      )
      .sort()
      .join("\n");
  const [got, want] = [comparable(answer), comparable(expected)];
  if (got !== want) {
    const at = [...got].findIndex((c, i) => c !== want[i]);
    throw new Error(
      `${url} built different JSON than the gateway at …${got.slice(Math.max(0, at - 150), at + 150)} vs …${want.slice(Math.max(0, at - 150), at + 150)}`,
    );
  }
  return fingerprint(answer.data.accounts);
}

/** One answer of the direct fan-out baseline, fingerprinted. */
export async function directFingerprint(url: string, body: string): Promise<Fingerprint> {
  return fingerprint((await postJson<{ accounts: AccountLike[] }>(url, body)).accounts);
}

/** Throws unless every fingerprint equals the first. */
export function assertSameData(fingerprints: Record<string, Fingerprint>): Fingerprint {
  const [[firstLabel, first], ...rest] = Object.entries(fingerprints) as [[string, Fingerprint], ...Array<[string, Fingerprint]>];
  for (const [label, other] of rest) {
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      throw new Error(`${label} returned different data than ${firstLabel}: ${JSON.stringify(other)} vs ${JSON.stringify(first)}`);
    }
  }
  return first;
}
