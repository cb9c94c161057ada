/**
 * PayPal's wire conventions in one place: money as `{ currency_code, value: "12.34" }` and
 * timestamps as ISO 8601 with a colon-less offset (`2026-03-01T10:00:00+0000`), as the
 * Transaction Search and Balances APIs send them.
 */
import type { Request, Response } from "express";
import { randomBytes } from "node:crypto";

export interface PayPalMoney {
  currency_code: string;
  value: string;
}

/** Integer cents → PayPal's decimal string, without going through a float. */
export function paypalMoney(minor: number, currency: string): PayPalMoney {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(3, "0");
  const value = `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return { currency_code: currency, value };
}

/** `2026-03-01T10:00:00+0000`: PayPal's reporting APIs drop the milliseconds and the offset colon. */
export function paypalTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+0000`;
}

const PAYPAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a PayPal time parameter; undefined when it is not one. */
export function parsePaypalTime(text: string): Date | undefined {
  const match = PAYPAL_TIME.exec(text);
  if (!match) return undefined;
  const [, day, time, zone] = match;
  const offset = zone === "Z" ? "Z" : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const at = new Date(`${day}T${time}${offset}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** A comma-separated (or repeated) query parameter as a list. */
export function listParam(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
  return parts
    .flatMap((p) => p.split(","))
    .map((p) => p.trim())
    .filter(Boolean);
}

/** PayPal correlates every error with a `debug_id` that support can look up. */
export function debugId(): string {
  return randomBytes(7).toString("hex");
}

/** PayPal's REST error body: `{ name, message, debug_id, details, links }`. */
export function sendInvalidRequest(res: Response, req: Request, field: string, issue: string, description: string): void {
  const value = req.query[field];
  res.status(400).json({
    name: "INVALID_REQUEST",
    message: "Request is not well-formed, syntactically incorrect, or violates schema.",
    debug_id: debugId(),
    details: [{ field, value: typeof value === "string" ? value : "", location: "query", issue, description }],
    links: [{ href: "https://developer.paypal.com/api/rest/reference/orders/v2/errors/#INVALID_REQUEST", rel: "information_link", method: "GET" }],
  });
}
