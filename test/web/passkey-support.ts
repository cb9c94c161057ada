/**
 * Passkeys in Debian Chromium: a CDP virtual authenticator (a platform authenticator with user
 * verification — the PIN or fingerprint of the person's device), alice with Chase linked with the
 * bank's payment permission and a payments:write consent, and the mock bank's record of the
 * payments it received (its admin API).
 */
import { mkdir } from "node:fs/promises";
import type { CDPSession, Page } from "playwright-core";
import type { RegisteredPayee } from "../../src/providers/payment-rail.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { grantPayments, payableAccount } from "../payments/payment-support.js";
import { personFor } from "./connections-support.js";
import { SCREENSHOTS } from "./connect-support.js";

export interface VirtualAuthenticator {
  cdp: CDPSession;
  id: string;
  /** Whether the device verifies the person (PIN, fingerprint) from now on. */
  setUserVerified(verified: boolean): Promise<void>;
  credentialCount(): Promise<number>;
}

/** A CTAP2 platform authenticator with resident keys and user verification, on this page. */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    id: authenticatorId,
    setUserVerified: async (verified) => {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: verified });
    },
    credentialCount: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length,
  };
}

/** alice (the identity provider's `alice`) with Chase linked, payments allowed at the bank, and a payments:write consent for the test app. */
export async function payingAlice(t: TestGateway): Promise<{ alice: TestUser; account: string; payee: RegisteredPayee }> {
  const outcome = await t.linkAtBank("alice", "chase", { scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  const alice = await personFor(t, "alice");
  alice.links["chase"] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, alice, "chase", { perPayment: "50.00", dailyAmount: "500.00", dailyCount: 50 });
  const chase = PAYMENT_BANKS.find((b) => b.module.id === "chase")!;
  const [payee] = await railAt(t.mocks, chase).listPayees(await paymentSession(t.mocks, chase));
  return { alice, account: (await payableAccount(t, alice, "chase")).id, payee: payee! };
}

/** The payments alice's Chase received, as the bank's admin API lists them. */
export async function paymentsAtBank(t: TestGateway): Promise<Array<{ reference: string; amountMinor: number; status: string }>> {
  const response = await fetch(`${t.mocks.adminUrl}/banks/chase/payments?customer=alice`);
  return (await response.json()) as Array<{ reference: string; amountMinor: number; status: string }>;
}

export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}
