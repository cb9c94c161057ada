/**
 * How long a gateway waited on banks, from its own Prometheus histogram
 * (`bankgraph_bank_call_duration_seconds`, every attempt of every bank call). Subtracted from
 * the gateway's latency, it leaves what the gateway itself adds — free of the bank's jitter,
 * which at a slow bank is larger than everything the gateway does.
 */
const SUM = /^bankgraph_bank_call_duration_seconds_sum(?:\{[^}]*\})? (\S+)$/;

/** Total seconds the gateway at `graphqlUrl` has spent waiting on bank calls since it started. */
export async function bankWaitSeconds(graphqlUrl: string): Promise<number> {
  const response = await fetch(new URL("/metrics", graphqlUrl));
  if (!response.ok) throw new Error(`${graphqlUrl} /metrics answered ${response.status}`);
  let total = 0;
  for (const line of (await response.text()).split("\n")) {
    const match = SUM.exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}
