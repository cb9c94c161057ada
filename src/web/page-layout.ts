/**
 * The frame of every Bankgraph page: English, one stylesheet, a skip link, a header that says
 * whose page this is and who is signed in. Server-rendered; works without JavaScript.
 */
import { html, type Html } from "./html.js";

export const STYLESHEET_PATH = "/web/assets/bankgraph.css";

export interface LayoutOptions {
  title: string;
  main: Html;
  /** The signed-in person, shown in the header. */
  signedInAs?: string | null;
  /** Script files of this gateway the page loads at the end of its body (send it with `scripts: true`). */
  scripts?: readonly string[];
}

export function layout(options: LayoutOptions): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Bankgraph</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <p class="brand">Bankgraph</p>
          ${options.signedInAs ? html`<p class="who">Signed in as ${options.signedInAs}</p>` : ""}
        </header>
        <main id="main">${options.main}</main>
        <footer class="site">
          <p>Bankgraph connects apps to your bank accounts only with your permission. Manage what you share at <a href="/connections">your connections</a>.</p>
        </footer>
        ${(options.scripts ?? []).map((src) => html`<script src="${src}"></script>`)}
      </body>
    </html>`;
}

/** A page that says what went wrong and what the person can do. */
export function messagePage(options: { title: string; message: string; action?: { href: string; label: string }; signedInAs?: string | null }): Html {
  return layout({
    title: options.title,
    signedInAs: options.signedInAs,
    main: html`<h1>${options.title}</h1>
      <p>${options.message}</p>
      ${options.action ? html`<p><a class="button" href="${options.action.href}">${options.action.label}</a></p>` : ""}`,
  });
}
