/**
 * The one confirmation each way of stopping asks for, stating the consequence in plain words,
 * and the page that says it is done. Each confirmation is a POST form with the session's CSRF
 * token; "Keep" is a plain link back.
 */
import type { ConnectedBank, SharedWithApp } from "../../connections/connections-model.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import { listInWords, scopesInWords } from "./connections-wording.js";

const IMMEDIATE = "This takes effect immediately.";

interface Confirm {
  title: string;
  consequence: string;
  action: string;
  button: string;
  keep: string;
  userId: string;
  csrfToken: string;
}

function confirmPage(c: Confirm): Html {
  return layout({
    title: c.title,
    signedInAs: c.userId,
    main: html`<h1>${c.title}</h1>
      <p class="consequence">${c.consequence}</p>
      <form method="post" action="${c.action}">
        ${csrfField(c.csrfToken)}
        <div class="actions">
          <button class="danger primary" type="submit">${c.button}</button>
          <a href="/connections">${c.keep}</a>
        </div>
      </form>`,
  });
}

export const stopConsentConsequence = (shared: SharedWithApp, appName: string) =>
  `${appName} will no longer see ${scopesInWords(shared.consent.scopes)} at ${shared.institutionName}. ${IMMEDIATE}`;

export function confirmStopConsentPage(o: { shared: SharedWithApp; appName: string; userId: string; csrfToken: string }): Html {
  return confirmPage({
    title: `Stop sharing with ${o.appName} at ${o.shared.institutionName}?`,
    consequence: stopConsentConsequence(o.shared, o.appName),
    action: `/connections/consents/${encodeURIComponent(o.shared.consent.id)}/stop`,
    button: "Stop sharing",
    keep: "Keep sharing",
    userId: o.userId,
    csrfToken: o.csrfToken,
  });
}

export const stopAppConsequence = (appName: string, open: readonly SharedWithApp[]) =>
  open.length === 0
    ? `${appName} already sees nothing of yours. Nothing will change.`
    : `${appName} will no longer see any of your data at ${listInWords([...new Set(open.map((s) => s.institutionName))].sort())}. ${IMMEDIATE}`;

export function confirmStopAppPage(o: { clientId: string; appName: string; open: readonly SharedWithApp[]; userId: string; csrfToken: string }): Html {
  return confirmPage({
    title: `Stop everything for ${o.appName}?`,
    consequence: stopAppConsequence(o.appName, o.open),
    action: `/connections/apps/${encodeURIComponent(o.clientId)}/stop`,
    button: `Stop everything for ${o.appName}`,
    keep: "Keep sharing",
    userId: o.userId,
    csrfToken: o.csrfToken,
  });
}

export const unlinkConsequence = (bank: ConnectedBank) =>
  `${bank.appNames.length === 0 ? "No app" : listInWords(bank.appNames)} will no longer see any of your data at ${bank.institutionName}, and Bankgraph gives up its access there. To share again you would connect ${bank.institutionName} anew. ${IMMEDIATE}`;

export function confirmUnlinkPage(o: { bank: ConnectedBank; userId: string; csrfToken: string }): Html {
  return confirmPage({
    title: `Unlink ${o.bank.institutionName} for all apps?`,
    consequence: unlinkConsequence(o.bank),
    action: `/connections/links/${encodeURIComponent(o.bank.linkId)}/unlink`,
    button: `Unlink ${o.bank.institutionName}`,
    keep: "Keep it connected",
    userId: o.userId,
    csrfToken: o.csrfToken,
  });
}

/** After stopping: what is now true, and the way back. */
export function donePage(o: { title: string; message: string; userId: string }): Html {
  return layout({
    title: o.title,
    signedInAs: o.userId,
    main: html`<h1>${o.title}</h1>
      <p role="status">${o.message}</p>
      <p class="actions"><a class="button primary" href="/connections">Back to your connections</a></p>`,
  });
}
