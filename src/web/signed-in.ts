/**
 * The signed-in person of a page request, or an answer for one who is not: a GET goes to sign-in
 * and comes back; a POST is refused (a page, or JSON for the pages' scripts) and changes nothing.
 */
import type { Request, Response } from "express";
import type { WebSession } from "../store/web-session-repository.js";
import { messagePage } from "./page-layout.js";
import { sendPage } from "./page-security.js";
import { signInUrl } from "./sign-in.router.js";
import { currentSession } from "./web-session.js";

export type SignedIn = WebSession & { userId: string };

export function signedInOrAnswer(req: Request, res: Response): SignedIn | null {
  const web = currentSession(res);
  if (web?.userId) return web as SignedIn;
  if (req.method === "GET") res.redirect(303, signInUrl(req.originalUrl));
  else if (req.is("application/json")) res.status(401).json({ ok: false, message: "You are signed out. Sign in again; nothing was done." });
  else sendPage(res, messagePage({ title: "Please sign in", message: "You need to be signed in to do this. Nothing was changed." }), { status: 401 });
  return null;
}
