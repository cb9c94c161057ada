/**
 * Reads the gateway's `GET /metrics` (Prometheus text format), for the hardening suites and the bench.
 */

/** The exposition text of the gateway at `graphqlUrl`. */
export async function scrape(graphqlUrl: string): Promise<string> {
  const response = await fetch(new URL("/metrics", graphqlUrl));
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/**
 * The value of the sample `name` whose labels include `labels`, or undefined when there is none.
 * Throws when more than one sample matches, so a test never reads an arbitrary one.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matches = text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0] === undefined ? undefined : Number(matches[0].slice(matches[0].lastIndexOf(" ") + 1));
}

/** The sum of every sample named `name`, whatever its labels (0 when there is none). */
export function sumOf(text: string, name: string): number {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}
