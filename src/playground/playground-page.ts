/**
 * The playground's HTML: no inline script or style — the configuration travels in a JSON data
 * block that `browser/playground.js` reads — so the Content-Security-Policy can stay strict.
 */

/** One GraphiQL tab (GraphiQL's `TabDefinition`). */
export interface PlaygroundTab {
  query: string;
  variables: string;
  headers: string;
}

/** What the page needs to render. */
export interface PlaygroundPageOptions {
  /** The GraphQL endpoint, relative to the page, e.g. `/graphql`. */
  endpoint: string;
  /** Opened on first visit (GraphiQL keeps the user's own tabs after that). */
  tabs: PlaygroundTab[];
  /** Headers of a new tab. */
  defaultHeaders: string;
  /** Asset URLs, in load order. */
  stylesheets: string[];
  scripts: string[];
}

/**
 * Everything the page may load, and from where: only this origin. Styles set through the DOM by
 * React and CodeMirror are CSSOM writes, which `style-src 'self'` allows; fonts are data: URIs in
 * GraphiQL's stylesheet.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** JSON that is safe inside a `<script type="application/json">` block: no `</script>`, no `<!--`. */
function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The page's HTML. */
export function renderPlaygroundPage(options: PlaygroundPageOptions): string {
  const config = { endpoint: options.endpoint, tabs: options.tabs, defaultHeaders: options.defaultHeaders };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Bankgraph playground</title>
<link rel="icon" href="data:,">
${options.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join("\n")}
<script type="application/json" id="playground-config">${jsonForScriptBlock(config)}</script>
${options.scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join("\n")}
</head>
<body>
<div id="graphiql">Loading the Bankgraph playground…</div>
<noscript>The playground needs JavaScript. Without it, POST GraphQL to ${escapeHtml(options.endpoint)}.</noscript>
</body>
</html>
`;
}
