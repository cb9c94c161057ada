import { randomUUID } from "node:crypto";
import { defaultMockWebhookSecret, signWebhookBody } from "../../mocks/events/webhook-signing.js";

const WELLS_FARGO = "wells_fargo";

/**
 * A Wells Fargo balance event in its own format, as the bank would send it: dated `atMs`, by the
 * bank's clock where it is delivered among the bank's own events (a balance older than the one
 * already logged is not published: state never moves backwards).
 */
export function wellsFargoBalanceEvent(accountId: string, cents: number, eventId: string = randomUUID(), atMs = Date.now()) {
  return {
    event_id: eventId,
    event_type: "account.balance.updated",
    created_at_ms: atMs,
    data: {
      account_id: accountId,
      balance: {
        account_id: accountId,
        currency_code: "USD",
        ledger_balance_cents: cents,
        available_balance_cents: cents,
        credit_limit_cents: null,
        as_of_ms: atMs,
      },
    },
  };
}

/**
 * Delivers {@link wellsFargoBalanceEvent} to a gateway's Wells Fargo webhook, signed by the bank
 * now (`nowMs`, the gateway's clock, so the signature's age is checked against it). Answers the
 * gateway's status and JSON body.
 */
export async function postWellsFargoBalance(
  gatewayPort: number,
  nowMs: number,
  event: { accountId: string; cents: number; atMs: number; eventId?: string },
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(wellsFargoBalanceEvent(event.accountId, event.cents, event.eventId ?? randomUUID(), event.atMs));
  const timestamp = String(Math.floor(nowMs / 1000));
  const response = await fetch(`http://127.0.0.1:${gatewayPort}/webhooks/${WELLS_FARGO}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-wf-timestamp": timestamp,
      "x-wf-signature": signWebhookBody(defaultMockWebhookSecret(WELLS_FARGO), timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}
