/**
 * Grants survive a restart: with a state directory the banks' OAuth state (grants, tokens,
 * consents) is written to disk, so a new cluster on the same ports (`npm start` restarting its
 * in-process mocks) still honours the tokens the gateway holds. Also a bank that goes down and
 * comes back (faults) keeps its issuer and grants.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster } from "../../mocks/cluster.js";
import { bankClient, connect, read, refresh } from "./bank-oauth-client.js";

const ID = "amex";
const SCOPES = "member.accounts.read member.balances.read";
let stateDir: string;
const originalDispatcher = getGlobalDispatcher();

/** Like a browser or client after the server went away: new connections, not the pooled ones the old server cut. */
function newConnections(): void {
  setGlobalDispatcher(new Agent());
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "mock-bank-state-"));
});
afterAll(async () => {
  setGlobalDispatcher(originalDispatcher);
  await rm(stateDir, { recursive: true, force: true });
});

describe("mock bank OAuth state", () => {
  it("persists to the state directory: after a restart on the same port the access and refresh tokens still work, rotation still holds", async () => {
    const first = await startMockCluster({ banks: [ID], stateDir });
    const port = Number(new URL(first.bank(ID).url).port);
    const c1 = await bankClient(first.bank(ID));
    const { tokens } = await connect(c1, { scope: SCOPES });
    const rotated = await refresh(c1, tokens.refresh_token!);
    await first.close();

    const second = await startMockCluster({ banks: [ID], stateDir, basePort: port });
    newConnections();
    try {
      const bank = second.bank(ID);
      expect(bank.url).toBe(first.urls[ID]);
      const c2 = await bankClient(bank);
      expect((await read(bank, "/servicing/v1/member/accounts", rotated.access_token)).status).toBe(200);
      const again = await refresh(c2, rotated.refresh_token!);
      expect((await read(bank, "/servicing/v1/member/accounts", again.access_token)).status).toBe(200);
      const replay = await refresh(c2, tokens.refresh_token!).catch((e: unknown) => e);
      expect((replay as oauth.ResponseBodyError).error).toBe("invalid_grant");
    } finally {
      await second.close();
    }
  });

  it("keeps grants and issuer in memory when the bank goes down and comes back", async () => {
    const cluster = await startMockCluster({ banks: [ID] });
    try {
      const bank = cluster.bank(ID);
      const c = await bankClient(bank);
      const { tokens } = await connect(c, { scope: SCOPES });
      await bank.setFaults({ down: true });
      await bank.setFaults({ down: false });
      newConnections();
      expect((await bankClient(bank)).as.issuer).toBe(c.as.issuer);
      expect((await read(bank, "/servicing/v1/member/accounts", tokens.access_token)).status).toBe(200);
      expect((await refresh(c, tokens.refresh_token!)).access_token).toBeTruthy();
    } finally {
      await cluster.close();
    }
  });
});
