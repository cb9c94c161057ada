/**
 * CSRF protection of every form: the synchronizer token of the person's session, in a hidden field
 * of each form, compared in constant time on every POST. A POST without a session, or with another
 * token, changes nothing and gets a page saying so. (SameSite=Lax on the cookie is the second line.)
 */
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { html, type Html } from "./html.js";
import { messagePage } from "./page-layout.js";
import { sendPage } from "./page-security.js";
import { currentSession } from "./web-session.js";

export const CSRF_FIELD = "csrf_token";

/** The hidden field every form of this session carries. */
export const csrfField = (token: string): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />`;

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** After a urlencoded body parser: refuses a POST whose token is not this session's. */
export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  const session = currentSession(res);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const sent = typeof body[CSRF_FIELD] === "string" ? body[CSRF_FIELD] : "";
  if (!session || !sent || !same(sent, session.csrfToken)) {
    return sendPage(
      res,
      messagePage({
        title: "This form has expired",
        message: "For your safety we did not act on it. Go back, reload the page and try again.",
      }),
      { status: 403 },
    );
  }
  next();
}
