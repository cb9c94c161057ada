/**
 * The headers every Bankgraph page carries: a strict Content-Security-Policy (nothing loads but
 * our own stylesheet; no script at all), no caching, no framing, no referrer.
 *
 * `form-action` also governs where a form POST may be redirected in Chromium: a page whose form
 * answers with a redirect to a bank or back to the app lists those origins in `formTargets`.
 */
import type { Response } from "express";
import type { Html } from "./html.js";

/** The CSP of a page whose forms may end up at `formTargets` (origins) besides this gateway. */
export function pageCsp(formTargets: readonly string[] = []): string {
  const targets = [...new Set(formTargets.map((url) => new URL(url).origin))];
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${["'self'", ...targets].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

export interface SendPageOptions {
  status?: number;
  /** Origins the page's forms may be redirected to (a bank, the app's redirect URI). */
  formTargets?: readonly string[];
}

/** Sends a whole page with the security headers. */
export function sendPage(res: Response, page: Html, options: SendPageOptions = {}): void {
  res
    .status(options.status ?? 200)
    .set({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": pageCsp(options.formTargets),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    })
    .send(page.text);
}
