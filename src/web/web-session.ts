/**
 * The person's session on Bankgraph's pages: a random id in an HttpOnly, SameSite=Lax cookie
 * (Secure and `__Host-` prefixed in production), the session itself in the store
 * (WebSessionRepository), so every gateway instance serves every page.
 */
import type { NextFunction, Request, Response } from "express";
import type { WebSession, WebSessionRepository } from "../store/web-session-repository.js";

export interface WebSessionOptions {
  sessions: WebSessionRepository;
  production: boolean;
  ttlMs: number;
}

/** The session this request carries (null if none or expired); set by {@link loadWebSession}. */
export function currentSession(res: Response): WebSession | null {
  return (res.locals["webSession"] as WebSession | undefined) ?? null;
}

export const cookieName = (production: boolean) => (production ? "__Host-bankgraph_session" : "bankgraph_session");

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Loads the session named by the cookie into `res.locals` (nothing is created here). */
export function loadWebSession(options: WebSessionOptions) {
  const name = cookieName(options.production);
  return async (req: Request, res: Response, next: NextFunction) => {
    const id = readCookie(req, name);
    res.locals["webSession"] = id && /^[A-Za-z0-9_-]{43}$/.test(id) ? await options.sessions.find(id) : null;
    next();
  };
}

/** Sets the cookie for `session` (a new one replaces the old: sign-in rotates the id). */
export function setSessionCookie(res: Response, session: WebSession, production: boolean): void {
  res.cookie(cookieName(production), session.id, {
    httpOnly: true,
    secure: production,
    sameSite: "lax",
    path: "/",
    expires: session.expiresAt,
  });
  res.locals["webSession"] = session;
}

export function clearSessionCookie(res: Response, production: boolean): void {
  res.clearCookie(cookieName(production), { httpOnly: true, secure: production, sameSite: "lax", path: "/" });
  res.locals["webSession"] = null;
}
