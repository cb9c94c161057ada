/**
 * The headers every Bankgraph page carries: a strict Content-Security-Policy (nothing loads but
 * our own stylesheet; no script at all, except on the passkey pages, which load scripts from this
 * gateway only — never inline — and talk to it only), no caching, no framing, no referrer.
 *
 * `form-action` also governs where a form POST may be redirected in Chromium: a page whose form
 * answers with a redirect to a bank or back to the app lists those origins in `formTargets`.
 */
import type { Response } from "express";
import type { Html } from "./html.js";

/**
 * The CSP of a page whose forms may end up at `formTargets` (origins) besides this gateway; with
 * `scripts`, script files from this gateway (no inline script, no eval) that may call it back.
 */
export function pageCsp(formTargets: readonly string[] = [], scripts = false): string {
  const targets = [...new Set(formTargets.map((url) => new URL(url).origin))];
  return [
    "default-src 'none'",
    ...(scripts ? ["script-src 'self'", "connect-src 'self'"] : []),
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
  /** The page loads script files from this gateway (the passkey pages); default none. */
  scripts?: boolean;
}

/** Sends a whole page with the security headers. */
export function sendPage(res: Response, page: Html, options: SendPageOptions = {}): void {
  res
    .status(options.status ?? 200)
    .set({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": pageCsp(options.formTargets, options.scripts),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    })
    .send(page.text);
}
