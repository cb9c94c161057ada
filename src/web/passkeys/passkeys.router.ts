/**
 * The person's passkeys, for the signed-in person only:
 *
 *   GET  /passkeys[?return_to=/path]   the list and the way to add one
 *   POST /passkeys/options             (JSON, CSRF) registration options, user verification required
 *   POST /passkeys                     (JSON, CSRF) the browser's answer and a name → stored
 *   POST /passkeys/:id/remove          (form, CSRF) removes one of the person's own passkeys
 *
 * Every id is the person's own or answers 404, like one that does not exist.
 */
import express, { type Request, type Response } from "express";
import type { PasskeyService } from "../../passkeys/passkey-service.js";
import { PasskeyRefusal } from "../../passkeys/passkey-refusal.js";
import { requireCsrf } from "../csrf.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { safeReturnTo } from "../sign-in.router.js";
import { signedInOrAnswer } from "../signed-in.js";
import { timeFormats } from "../time-zone.js";
import { passkeysPage } from "./passkeys-page.js";

/** A WebAuthn credential id (base64url) in a path. */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1024}$/;

export function passkeysRouter(deps: { passkeys: PasskeyService }): express.Router {
  const router = express.Router();
  const json = express.json({ limit: "32kb" });
  const form = express.urlencoded({ extended: false, limit: "4kb" });

  router.get("/passkeys", async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    const next = req.query["return_to"] === undefined ? "/passkeys" : safeReturnTo(req.query["return_to"]);
    sendPage(
      res,
      passkeysPage({ passkeys: await deps.passkeys.list(web.userId), userId: web.userId, csrfToken: web.csrfToken, time: timeFormats(web.timeZone), next }),
      {
        scripts: true,
      },
    );
  });

  router.post("/passkeys/options", json, requireCsrf, async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    res.json({ ok: true, options: await deps.passkeys.registrationOptions(web.userId) });
  });

  router.post("/passkeys", json, requireCsrf, async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    const body = req.body as Record<string, unknown>;
    try {
      const added = await deps.passkeys.register(web.userId, body["response"], typeof body["label"] === "string" ? body["label"] : "");
      res.json({ ok: true, message: `Passkey “${added.label}” added.` });
    } catch (error) {
      if (!(error instanceof PasskeyRefusal)) throw error;
      res.status(400).json({ ok: false, reason: error.reason, message: error.message });
    }
  });

  router.post("/passkeys/:id/remove", form, requireCsrf, async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    const id = String(req.params["id"]);
    if (!CREDENTIAL_ID.test(id) || !(await deps.passkeys.remove(web.userId, id))) {
      return sendPage(
        res,
        messagePage({
          title: "Not found",
          message: "There is no such passkey of yours. Nothing was changed.",
          signedInAs: web.userId,
          action: { href: "/passkeys", label: "Back to your passkeys" },
        }),
        { status: 404 },
      );
    }
    res.redirect(303, "/passkeys");
  });

  return router;
}
