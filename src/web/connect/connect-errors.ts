/**
 * What the person reads when a connect step is refused: one clear page per reason, never a stack
 * trace or a bank's raw answer. Nothing was stored when one of these is shown (the service refuses
 * before it writes).
 */
import type { ConnectRefusal } from "../../connect/connect-service.js";
import { GatewayError } from "../../errors.js";

export interface RefusalPage {
  status: number;
  title: string;
  message: string;
}

const REFUSALS: Readonly<Record<ConnectRefusal, RefusalPage>> = {
  SESSION_NOT_FOUND: { status: 404, title: "This link does not work", message: "We could not find this request. Go back to the app and start again." },
  WRONG_PERSON: {
    status: 403,
    title: "This request is for someone else",
    message: "The app asked a different person. Sign out, then open the link again and sign in as the person the app asked.",
  },
  SESSION_EXPIRED: { status: 410, title: "This request has expired", message: "Nothing was shared. Go back to the app and start again." },
  SESSION_FINISHED: {
    status: 409,
    title: "This request is already finished",
    message: "You already answered it. To see or change what you share, go to your connections.",
  },
  OUT_OF_ORDER: {
    status: 409,
    title: "This step is not expected now",
    message: "The page you came from is out of date. Open the link from the app again to continue.",
  },
  INSTITUTION_NOT_OFFERED: { status: 400, title: "That bank is not part of this request", message: "Choose one of the banks listed on the page." },
};

/**
 * The page for a refusal of the connect service or a bank step; undefined for an unexpected error.
 * `step` says which bank step failed: starting at the bank, or its answer coming back.
 */
export function refusalPage(error: unknown, step: "start" | "answer" = "answer"): RefusalPage | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  const reason = error.extensions["reason"];
  if (typeof reason === "string" && reason in REFUSALS) return REFUSALS[reason as ConnectRefusal];
  if (step === "start")
    return { status: 502, title: "Your bank did not accept the request", message: `${error.message} Nothing was shared. Please try again later.` };
  // A bank answer that did not check out (wrong state or issuer, a replayed or expired code …).
  return { status: 400, title: "We could not confirm your bank's answer", message: `${error.message} Nothing was shared.` };
}
