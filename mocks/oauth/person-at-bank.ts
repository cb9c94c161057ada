/**
 * A person at a bank's own pages, driven over real HTTP exactly as a browser would: it follows the
 * bank's redirects keeping the bank's cookies (by path), reads each page's form, types the
 * username and password into the fields it finds, presses Allow, ticks accounts (all, as the page
 * preselects them, or the ones `chooseAccounts` keeps) or presses Cancel at a chosen step, and
 * stops at the redirect to the client's `redirect_uri`, which it returns without following.
 * It only speaks HTTP; it knows the pages by their forms, not by the bank's internals.
 * Tests, the demo seed (`npm start`) and the bench seed use it. `removeAccessAtBank` is the same
 * person later, on the bank's connected-apps page: signs in and presses "Remove access" for one app.
 */

export type BankPageStep = "login" | "allow" | "accounts";

export interface OfferedAccount {
  /** The checkbox value (the bank's account id). */
  id: string;
  /** What the page says next to it (name and masked number). */
  label: string;
}

export interface PersonAtBankOptions {
  /** Where the client sends the person: the bank's authorization URL (with `request_uri` or the request). */
  authorizationUrl: string;
  /** The client's redirect URI: the walk stops at the bank's redirect to it. */
  redirectUri: string;
  username: string;
  password: string;
  /** Which of the offered (all preselected) accounts stay ticked; default all. */
  chooseAccounts?: (offered: OfferedAccount[]) => string[];
  /** Press Cancel on this page instead of going on. */
  cancelAt?: BankPageStep;
}

export interface VisitedPage {
  step: BankPageStep;
  url: string;
  html: string;
}

export interface BankRedirect {
  /** The bank's redirect to the client (`code`/`error`, `state`, `iss`), not followed. */
  location: URL;
  pages: VisitedPage[];
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

interface Form {
  action: string;
  fields: { tag: string; attributes: Record<string, string> }[];
  /** Input id → the text of its `<label for>`. */
  labels: Map<string, string>;
}

const MAX_STEPS = 20;

export async function authorizeAsPerson(options: PersonAtBankOptions): Promise<BankRedirect> {
  const cookies: Cookie[] = [];
  const bankOrigin = new URL(options.authorizationUrl).origin;
  const target = new URL(options.redirectUri);
  const pages: VisitedPage[] = [];
  let request: { url: URL; body?: URLSearchParams } = { url: new URL(options.authorizationUrl) };
  for (let step = 0; step < MAX_STEPS; step++) {
    if (request.url.origin !== bankOrigin) throw new Error(`The bank sent the browser to an unexpected origin: ${request.url.origin}`);
    const response = await fetch(request.url, {
      method: request.body ? "POST" : "GET",
      redirect: "manual",
      headers: {
        accept: "text/html",
        ...(request.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...cookieHeader(cookies, request.url),
      },
      ...(request.body ? { body: request.body.toString() } : {}),
    });
    storeCookies(cookies, response.headers.getSetCookie(), request.url);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, request.url);
      await response.body?.cancel();
      if (next.origin === target.origin && next.pathname === target.pathname) return { location: next, pages };
      request = { url: next };
      continue;
    }
    const html = await response.text();
    const form = parseForms(html).find((f) => /\/(login|allow|accounts)$/.test(f.action));
    if (!form) throw new Error(`The bank answered ${response.status} with no form to go on: ${pageText(html)}`);
    const page = /\/(login|allow|accounts)$/.exec(form.action)![1] as BankPageStep;
    if (pages.at(-1)?.step === page && response.status >= 400) throw new Error(`The bank refused the ${page} step: ${pageText(html)}`);
    pages.push({ step: page, url: request.url.href, html });
    request = options.cancelAt === page ? cancel(form, request.url) : submit(form, page, request.url, options);
  }
  throw new Error("Too many steps at the bank");
}

export interface RemoveAccessOptions {
  /** The bank's origin (its connected-apps page is at `/connected-apps`). */
  bankUrl: string;
  username: string;
  password: string;
  /** The app whose access to remove, by the name the page shows it under. */
  appName: string;
  /** Of the apps listed under that name (newest first), which one; default the newest. */
  pick?: (listed: ListedApp[]) => ListedApp | undefined;
}

/** One app as the connected-apps page lists it. */
export interface ListedApp {
  name: string;
  /** The page's text about it (accounts, what it can see, dates). */
  text: string;
  /** The fields its "Remove access" form posts. */
  form: Form;
}

export interface AccessRemoved {
  /** The app listed before the removal. */
  listed: ListedApp[];
  /** The page the bank showed after removing it. */
  html: string;
}

/** Signs in on the bank's connected-apps page and removes one app's access; throws when the app is not listed. */
export async function removeAccessAtBank(options: RemoveAccessOptions): Promise<AccessRemoved> {
  const cookies: Cookie[] = [];
  const origin = new URL(options.bankUrl).origin;
  const open = async (url: URL, body?: URLSearchParams): Promise<{ status: number; html: string }> => {
    for (let step = 0; step < MAX_STEPS; step++) {
      if (url.origin !== origin) throw new Error(`The bank sent the browser to an unexpected origin: ${url.origin}`);
      const response = await fetch(url, {
        method: body ? "POST" : "GET",
        redirect: "manual",
        headers: { accept: "text/html", ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...cookieHeader(cookies, url) },
        ...(body ? { body: body.toString() } : {}),
      });
      storeCookies(cookies, response.headers.getSetCookie(), url);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        body = undefined;
        continue;
      }
      return { status: response.status, html: await response.text() };
    }
    throw new Error("Too many redirects at the bank");
  };
  const start = new URL("/connected-apps", origin);
  const signIn = await open(start);
  const login = parseForms(signIn.html).find((f) => f.action.endsWith("/connected-apps/login"));
  if (!login) throw new Error(`The bank's connected-apps page has no sign-in form: ${pageText(signIn.html)}`);
  const credentials = submit(login, "login", start, { authorizationUrl: "", redirectUri: "", username: options.username, password: options.password });
  const list = await open(credentials.url, credentials.body);
  if (list.status !== 200) throw new Error(`The bank refused the sign-in (${list.status}): ${pageText(list.html)}`);
  const listed: ListedApp[] = [...list.html.matchAll(/<section\b[^>]*class="connected-app"[^>]*>([\s\S]*?)<\/section>/gi)].flatMap(([, inner = ""]) => {
    const form = parseForms(inner).find((f) => f.action.endsWith("/connected-apps/remove"));
    const name = pageText(/<h2\b[^>]*>([\s\S]*?)<\/h2>/i.exec(inner)?.[1] ?? "");
    return form ? [{ name, text: pageText(inner.replace(/<form\b[\s\S]*?<\/form>/gi, "")), form }] : [];
  });
  const named = listed.filter((app) => app.name === options.appName);
  const chosen = options.pick ? options.pick(named) : named[0];
  if (!chosen) throw new Error(`The connected-apps page lists no app named ${options.appName}: ${listed.map((a) => a.name).join(", ") || "none"}`);
  const body = new URLSearchParams();
  for (const { tag, attributes } of chosen.form.fields) {
    if (tag === "input" && attributes.type === "hidden" && attributes.name) body.append(attributes.name, attributes.value ?? "");
  }
  const after = await open(new URL(chosen.form.action, start), body);
  if (after.status !== 200) throw new Error(`The bank refused to remove access (${after.status}): ${pageText(after.html)}`);
  return { listed, html: after.html };
}

function submit(form: Form, page: BankPageStep, base: URL, options: PersonAtBankOptions): { url: URL; body: URLSearchParams } {
  const body = new URLSearchParams();
  const offered: OfferedAccount[] = [];
  for (const { tag, attributes } of form.fields) {
    if (tag !== "input" || !attributes.name) continue;
    const type = attributes.type ?? "text";
    if (type === "hidden") body.append(attributes.name, attributes.value ?? "");
    else if (type === "password") body.append(attributes.name, options.password);
    else if (type === "text" && page === "login") body.append(attributes.name, options.username);
    else if (type === "checkbox") offered.push({ id: attributes.value ?? "", label: form.labels.get(attributes.id ?? "") ?? "" });
  }
  if (offered.length) {
    const name = form.fields.find((f) => f.attributes.type === "checkbox")!.attributes.name!;
    const kept = options.chooseAccounts ? options.chooseAccounts(offered) : offered.map((a) => a.id);
    for (const id of kept) body.append(name, id);
  }
  return { url: new URL(form.action, base), body };
}

function cancel(form: Form, base: URL): { url: URL; body: URLSearchParams } {
  const button = form.fields.find((f) => f.tag === "button" && /\/cancel$/.test(f.attributes.formaction ?? ""));
  if (!button) throw new Error("The page has no Cancel button");
  const body = new URLSearchParams();
  for (const { tag, attributes } of form.fields) {
    if (tag === "input" && attributes.type === "hidden" && attributes.name) body.append(attributes.name, attributes.value ?? "");
  }
  if (button.attributes.name) body.append(button.attributes.name, button.attributes.value ?? "");
  return { url: new URL(button.attributes.formaction!, base), body };
}

function parseForms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, attributes = "", inner = ""]) => ({
    action: parseAttributes(attributes).action ?? "",
    fields: [...inner.matchAll(/<(input|button)\b([^>]*)>/gi)].map(([, tag = "", attrs = ""]) => ({
      tag: tag.toLowerCase(),
      attributes: parseAttributes(attrs),
    })),
    labels: new Map(
      [...inner.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)].map(([, attrs = "", text = ""]) => [parseAttributes(attrs).for ?? "", pageText(text)]),
    ),
  }));
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name = "", quoted, bare] of source.matchAll(/([\w-]+)(?:\s*=\s*(?:"([^"]*)"|([^\s>]+)))?/g)) {
    attributes[name.toLowerCase()] = decodeEntities(quoted ?? bare ?? "");
  }
  return attributes;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function pageText(html: string): string {
  return decodeEntities(html.replace(/<(style|head)[\s\S]*?<\/\1>/gi, "").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

function storeCookies(jar: Cookie[], headers: string[], url: URL): void {
  for (const header of headers) {
    const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
    const eq = pair.indexOf("=");
    if (eq < 1) continue;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attribute = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute("path") ?? url.pathname.replace(/\/[^/]*$/, "/");
    const expires = attribute("expires");
    const removed = attribute("max-age") === "0" || (expires !== undefined && Date.parse(expires) <= Date.now());
    const index = jar.findIndex((c) => c.name === name && c.path === path);
    if (index >= 0) jar.splice(index, 1);
    if (!removed) jar.push({ name, value, path });
  }
}

function cookieHeader(jar: Cookie[], url: URL): Record<string, string> {
  const sent = jar.filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`));
  return sent.length ? { cookie: sent.map((c) => `${c.name}=${c.value}`).join("; ") } : {};
}
