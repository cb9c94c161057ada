/**
 * The identity provider's own pages: sign-in and its error page. Plain HTML forms, no script, one
 * stylesheet it serves itself, a strict CSP. It looks unlike Bankgraph and unlike the banks on
 * purpose: the person should see whose page they are on.
 */
const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/** Forms post to this server only; nothing else loads from anywhere. */
export const IDP_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const IDP_CSS = `body{font-family:system-ui,sans-serif;background:#eef2f7;color:#1b2733;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:6px;border:1px solid #c8d1dc}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #6b7a8a;border-radius:4px}
.actions{display:flex;gap:1rem;margin-top:1.2rem}button{font-size:1rem;padding:.55rem 1.2rem;border-radius:4px;border:1px solid #1d4f91;cursor:pointer}
.primary{background:#1d4f91;color:#fff}.secondary{background:#fff;color:#1d4f91}
button:focus-visible,input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.error{color:#9b1c1c;font-weight:600}.brand{color:#4a5a6a;font-size:.9rem;margin:0 0 1rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Example ID</title><link rel="stylesheet" href="/idp.css"></head>
<body><main>
<p class="brand">Example ID · identity provider</p>
${body}
</main></body></html>`;
}

/** The sign-in form of one interaction; `clientName` is the site that asked. */
export function loginPage(options: { uid: string; clientName: string; error?: string; username?: string }): string {
  const uid = encodeURIComponent(options.uid);
  return page(
    "Sign in",
    `<h1>Sign in to continue to ${escapeHtml(options.clientName)}</h1>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(options.username ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>
<form method="post" action="/interaction/${uid}/abort"><div class="actions"><button class="secondary" type="submit">Cancel</button></div></form>`,
  );
}

export function errorPage(message: string): string {
  return page("Something went wrong", `<h1>Something went wrong</h1><p>${escapeHtml(message)}</p>`);
}
