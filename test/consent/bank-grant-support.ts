/**
 * Looking at Bankgraph's grant at a bank from the outside of a test: which token the link holds
 * now, and whether the bank (through Bankgraph's own adapter) still honours it. Shared by the
 * suites that prove a grant ends when sharing does (stop-sharing, expiry-ends-grant).
 */
import { expect } from "vitest";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import type { TestGateway } from "../support/gateway.js";

/** The raw id inside a global id. */
export const rawId = (globalId: string): string => decodeGlobalId(globalId)!.parts[0]!;

/** The bank's access token Bankgraph holds for the link right now (null once it left the link). */
export async function linkAccessToken(t: TestGateway, linkGlobalId: string): Promise<string | null> {
  const link = await t.gateway.services.links.findById(rawId(linkGlobalId));
  return link?.accessTokenCiphertext ? t.gateway.services.cipher.decrypt(link.accessTokenCiphertext) : null;
}

/** Whether the bank still honours `token` (its own API, through Bankgraph's adapter). */
export async function bankAccepts(t: TestGateway, institutionId: string, token: string): Promise<boolean> {
  try {
    await t.gateway.services.providers.get(institutionId)!.listAccounts({ accessToken: token });
    return true;
  } catch (error) {
    expect((error as { failure?: string }).failure).toBe("LOGIN_REQUIRED");
    return false;
  }
}
