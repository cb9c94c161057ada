/**
 * What an app sends to `createPaymentIntent`, validated up front (pure: no I/O, nothing stored),
 * and the hash an idempotency key is compared by.
 */
import { createHash } from "node:crypto";
import type { PaymentPayee } from "../domain/payment.js";
import { minorFromDecimal } from "../domain/money.js";
import { badInput } from "../errors.js";
import type { PaymentPayee as RailPayee } from "../providers/payment-rail.js";

/** The domain's payee and the rail's are one shape: this fails to compile the day they differ. */
const samePayeeShape: [PaymentPayee, RailPayee] extends [RailPayee, PaymentPayee] ? true : never = true;
void samePayeeShape;

/** Exactly one of its fields. */
export interface PayeeInput {
  payeeId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** `createPaymentIntent`'s input, as the app sent it. */
export interface CreatePaymentIntentInput {
  /** Global ID of the source account (Account.id). */
  fromAccountId: string;
  payee: PayeeInput;
  amount: { amount: string; currency: string };
  reference: string;
  idempotencyKey: string;
}

/** The input, checked. */
export interface ValidPaymentInput {
  fromAccountGlobalId: string;
  payee: PaymentPayee;
  currency: string;
  amountMinor: bigint;
  reference: string;
  idempotencyKey: string;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_REFERENCE = 140;

/** Throws BAD_USER_INPUT naming the field; `field` says where the key came from. */
export function validateIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || !KEY.test(key))
    throw badInput("idempotencyKey must be 1 to 255 printable ASCII characters without spaces", { field: "idempotencyKey" });
  return key;
}

function payeeOf(input: PayeeInput): PaymentPayee {
  const given = (["payeeId", "email", "phone"] as const).filter((f) => input[f] != null);
  if (given.length !== 1) throw badInput("payee needs exactly one of payeeId, email or phone", { field: "payee" });
  if (input.payeeId != null) {
    if (!/^[\x21-\x7e]{1,128}$/.test(input.payeeId)) throw badInput("payee.payeeId must be the bank's payee id", { field: "payee.payeeId" });
    return { kind: "REGISTERED_PAYEE", payeeId: input.payeeId };
  }
  if (input.email != null) {
    if (!EMAIL.test(input.email)) throw badInput("payee.email is not an email address", { field: "payee.email" });
    return { kind: "EMAIL", email: input.email.toLowerCase() };
  }
  if (!E164.test(input.phone!)) throw badInput("payee.phone must be an E.164 number, e.g. +14155550123", { field: "payee.phone" });
  return { kind: "PHONE", phone: input.phone! };
}

/** True when `text` holds a C0 control character or DEL (shown to the payee: no line breaks or escapes). */
const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Checks every field; throws BAD_USER_INPUT on the first problem. */
export function validatePaymentInput(input: CreatePaymentIntentInput): ValidPaymentInput {
  const idempotencyKey = validateIdempotencyKey(input.idempotencyKey);
  const currency = String(input.amount?.currency ?? "").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw badInput("amount.currency must be an ISO 4217 code such as USD", { field: "amount.currency" });
  let amountMinor: bigint;
  try {
    amountMinor = minorFromDecimal(String(input.amount.amount), currency);
  } catch {
    throw badInput(`amount.amount must be a decimal amount in ${currency}, e.g. "12.50"`, { field: "amount.amount" });
  }
  if (amountMinor <= 0n) throw badInput("amount.amount must be above zero", { field: "amount.amount" });
  const reference = typeof input.reference === "string" ? input.reference.trim() : "";
  if (reference.length === 0 || reference.length > MAX_REFERENCE || hasControlCharacter(reference)) {
    throw badInput(`reference must be 1 to ${MAX_REFERENCE} characters without control characters`, { field: "reference" });
  }
  if (typeof input.fromAccountId !== "string" || input.fromAccountId.length === 0) throw badInput("fromAccountId is required", { field: "fromAccountId" });
  return { fromAccountGlobalId: input.fromAccountId, payee: payeeOf(input.payee ?? {}), currency, amountMinor, reference, idempotencyKey };
}

/** The hash a repeated key's input is compared by: everything but the key itself. */
export function requestSha256(parts: readonly unknown[]): string {
  return createHash("sha256")
    .update(
      JSON.stringify(parts, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      "utf8",
    )
    .digest("hex");
}
