/**
 * Before a comparison is timed, each side answers once and the answers are fingerprinted: a
 * baseline that returned less data would look faster for the wrong reason.
 */
import type { BenchContext } from "./bench-context.js";
import { fingerprint, graphqlBody, postJson, type AccountLike, type Fingerprint } from "./dashboard.js";

/** One answer of a GraphQL target, fingerprinted; throws on errors. */
export async function graphqlFingerprint(context: BenchContext, url: string, query: string, userId: string): Promise<Fingerprint> {
  const answer = await postJson<{ data?: { accounts: AccountLike[] }; errors?: unknown[] }>(url, graphqlBody(query), {
    authorization: `Bearer ${await context.token(userId)}`,
  });
  if (answer.errors?.length || !answer.data) throw new Error(`${url}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
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
