/**
 * TEMPORARY HARNESS (issue 16) — to be replaced by the real mock banks' payment endpoints and
 * adapters (branch `paybank`) at merge. A tiny bank payment API on a real port, honouring its
 * own idempotency header, and a PaymentRail that speaks to it over HTTP the way an adapter would
 * (a 5xx → ProviderError UPSTREAM_ERROR "…: 503", a refusal → "…: 422"). Nothing here reaches into
 * the gateway: it is handed in as the banks' payment rails.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BankPaymentState, BankPaymentStatus, PaymentRail, PaymentSubmission, RegisteredPayee } from "../../src/providers/payment-rail.js";
import { ProviderError } from "../../src/providers/provider-error.js";

interface StoredPayment {
  bankPaymentId: string;
  key: string;
  submission: PaymentSubmission;
  state: BankPaymentState;
  asOf: Date;
}

export interface TemporaryBank {
  rail: PaymentRail;
  /** POST /payments received (retries included). */
  submitCalls(): number;
  /** Distinct payments the bank made. */
  payments(): StoredPayment[];
  /** The next `n` submissions are accepted, then answered 503 (the bank has the payment; the gateway does not know). */
  acceptThenFail(n: number): void;
  /** The next submission is refused outright (422). */
  refuseNext(): void;
  close(): Promise<void>;
}

export const REGISTERED_PAYEES: RegisteredPayee[] = [
  { payeeId: "payee-mom", displayName: "Mom", maskedDestination: "••••4321" },
  { payeeId: "payee-landlord", displayName: "Landlord", maskedDestination: "••••9876" },
];

export async function startTemporaryBank(institutionId = "chase"): Promise<TemporaryBank> {
  const byKey = new Map<string, StoredPayment>();
  let calls = 0;
  let failAfterAccept = 0;
  let refuse = false;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method === "GET" && req.url === "/payees") return send(200, REGISTERED_PAYEES);
      if (req.method === "POST" && req.url === "/payments") {
        calls++;
        if (refuse) {
          refuse = false;
          return send(422, { error: "refused" });
        }
        const key = String(req.headers["idempotency-key"] ?? "");
        let payment = byKey.get(key);
        if (!payment) {
          payment = { bankPaymentId: `bp-${byKey.size + 1}`, key, submission: JSON.parse(body) as PaymentSubmission, state: "SUBMITTED", asOf: new Date() };
          byKey.set(key, payment);
        }
        if (failAfterAccept > 0) {
          failAfterAccept--;
          return send(503, { error: "timeout after accepting" });
        }
        return send(201, payment);
      }
      send(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new ProviderError("UPSTREAM_ERROR", institutionId, "Temporary bank", `${method} ${path}: ${response.status}`);
    return response.json();
  };
  const toStatus = (p: StoredPayment): BankPaymentStatus => ({
    bankPaymentId: p.bankPaymentId,
    state: p.state,
    bankCode: p.state,
    reason: null,
    asOf: new Date(p.asOf),
    fee: null,
  });

  const rail: PaymentRail = {
    listPayees: async () => (await call("GET", "/payees")) as RegisteredPayee[],
    quoteFee: async () => null,
    submit: async (_session, submission) => toStatus((await call("POST", "/payments", submission, submission.idempotencyKey)) as StoredPayment),
    status: async (_session, bankPaymentId) => {
      const found = [...byKey.values()].find((p) => p.bankPaymentId === bankPaymentId);
      if (!found) throw new ProviderError("UPSTREAM_ERROR", institutionId, "Temporary bank", "GET /payments: 404");
      return toStatus(found);
    },
  };
  return {
    rail,
    submitCalls: () => calls,
    payments: () => [...byKey.values()],
    acceptThenFail: (n) => (failAfterAccept = n),
    refuseNext: () => (refuse = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
