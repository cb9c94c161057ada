/**
 * The mock banks' admin HTTP API as the bench uses it: added latency, and upstream call counts
 * by bank and resource kind.
 */

/** Calls one bank received, in total and by resource kind (accounts, balances, transactions, …). */
export interface BankCalls {
  total: number;
  byKind: Record<string, number>;
}

export class MockAdmin {
  constructor(
    readonly adminUrl: string,
    readonly institutions: readonly string[],
  ) {}

  /** Every bank answers `latencyMs` later than it would. */
  async setLatency(latencyMs: number): Promise<void> {
    await Promise.all(this.institutions.map((id) => this.send("PUT", `/banks/${id}/faults`, { latencyMs })));
  }

  async resetCalls(): Promise<void> {
    await Promise.all(this.institutions.map((id) => this.send("DELETE", `/banks/${id}/calls`)));
  }

  async calls(): Promise<Record<string, BankCalls>> {
    const entries = await Promise.all(this.institutions.map(async (id) => [id, (await this.send("GET", `/banks/${id}/calls`)) as BankCalls] as const));
    return Object.fromEntries(entries);
  }

  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(this.adminUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`mock admin ${method} ${path}: ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  }
}
