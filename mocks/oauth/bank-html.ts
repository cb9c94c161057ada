/**
 * The HTML of a bank's own pages: one layout in the bank's look, its stylesheet (served by the
 * bank, no inline style or script, so the CSP can stay `default-src 'none'`), and escaping.
 */
import type { Response } from "express";
import type { BankLook } from "./bank-authorization.js";

export const STYLESHEET_PATH = "/assets/bank.css";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(
    strings.reduce((out, part, i) => {
      if (i === 0) return part;
      const value = values[i - 1];
      const rendered = Array.isArray(value)
        ? value.map((v) => (v instanceof Html ? v.text : escapeHtml(String(v)))).join("")
        : value instanceof Html
          ? value.text
          : escapeHtml(typeof value === "string" || typeof value === "number" ? String(value) : "");
      return out + rendered + part;
    }, ""),
  );
}

/** Headers of every bank page: strict CSP (no script at all, the bank's own stylesheet only), no caching. */
export const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
} as const;

export function pageHtml(look: BankLook, title: string, body: Html): string {
  return (
    `<!doctype html>\n` +
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${look.brand}</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <header class="brand"><span class="brand-name">${look.brand}</span></header>
        <main id="main">
          <h1>${title}</h1>
          ${body}
        </main>
        <footer><p>${look.brand} will never ask for your password anywhere but on this site.</p></footer>
      </body>
    </html>`.text
  );
}

/**
 * Sends a page in the bank's look. `formTargets` are origins a form's redirect may reach (the
 * client's redirect URIs): browsers apply `form-action` to the redirects that follow a form post.
 */
export function sendPage(res: Response, look: BankLook, title: string, body: Html, options: { status?: number; formTargets?: string[] } = {}): void {
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(" ");
  res
    .status(options.status ?? 200)
    .set({ ...PAGE_HEADERS, "Content-Security-Policy": PAGE_HEADERS["Content-Security-Policy"].replace("form-action 'self'", `form-action ${formAction}`) })
    .type("html")
    .send(pageHtml(look, title, body));
}

export function stylesheet(look: BankLook): string {
  return `:root { --primary: ${look.primary}; --on-primary: ${look.onPrimary}; --background: ${look.background}; --accent: ${look.accent}; }
body { margin: 0; font-family: ${look.font}; background: var(--background); color: #1b1b1b; line-height: 1.5; }
.brand { background: var(--primary); color: var(--on-primary); padding: 1rem 1.5rem; font-size: 1.4rem; font-weight: 700; }
main { max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.5rem; margin-top: 0; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #767676; border-radius: 4px; }
fieldset { border: 1px solid #ccc; border-radius: 4px; margin: 1rem 0; }
.account label { display: inline; font-weight: 400; }
.actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 4px; border: 2px solid var(--primary); cursor: pointer; }
button.primary { background: var(--primary); color: var(--on-primary); }
button.secondary { background: #fff; color: var(--primary); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.error { color: #a4000f; font-weight: 600; }
.notice { color: #0b5d1e; font-weight: 600; }
.connected-app { border-top: 1px solid #ccc; margin-top: 1rem; padding-top: .5rem; }
.connected-app h2 { font-size: 1.2rem; margin: .5rem 0; }
dt { font-weight: 600; }
dd { margin: 0 0 .5rem; }
a { color: #1b1b1b; }
footer { text-align: center; font-size: .85rem; color: #444; padding-bottom: 2rem; }
`;
}
