/**
 * American Express wire conventions: amounts as unsigned integer minor units with an explicit
 * exponent and a DEBIT/CREDIT direction, dates as `YYYYMMDD`, times as `HHMMSS` (both UTC
 * here), errors as `{ error_code, error_message }`.
 */
import type { Response } from "express";

export interface AmexAmount {
  value: number;
  currency: string;
  exponent: number;
}

/** Unsigned cents: the direction travels separately (`type: DEBIT | CREDIT`). */
export function amexAmount(minor: number, currency = "USD"): AmexAmount {
  return { value: Math.abs(minor), currency, exponent: 2 };
}

/** `YYYYMMDD` of the UTC day. */
export function amexDate(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll("-", "");
}

/** `HHMMSS` of the UTC time. */
export function amexTime(at: Date): string {
  return at.toISOString().slice(11, 19).replaceAll(":", "");
}

/** The UTC midnight of a `YYYYMMDD` date, or undefined when it is not one. */
export function parseAmexDate(text: unknown): Date | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const at = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
  return Number.isNaN(at.getTime()) || amexDate(at) !== text ? undefined : at;
}

/** Amex's error body. */
export function sendAmexError(res: Response, status: number, errorCode: string, errorMessage: string): void {
  res.status(status).json({ error_code: errorCode, error_message: errorMessage });
}

/** A JSON body's string array field, or undefined when it is not one. */
export function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}
