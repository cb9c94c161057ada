/**
 * One app's access at one bank in full: the summary, every read (when, which data, which
 * operation) a page at a time with Newer/Older links (keyset cursors, no script), and the
 * history of the permission itself with who did what.
 */
import type { ConsentDetail } from "../../connections/connections-model.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import type { TimeFormats } from "../time-zone.js";
import { scopeLabel } from "./connections-wording.js";
import { consentActions, consentPath, eventList, sharedSummary } from "./shared-summary.js";

export function consentPage(options: { detail: ConsentDetail; userId: string; time: TimeFormats }): Html {
  const { detail, time } = options;
  const { shared, appName } = detail;
  const path = consentPath(shared.consent.id);
  const { history } = detail;
  return layout({
    title: `${appName} at ${shared.institutionName}`,
    signedInAs: options.userId,
    main: html`<p><a href="/connections">Back to your connections</a></p>
      <h1>${appName} at ${shared.institutionName}</h1>
      ${sharedSummary(shared, appName, time)} ${consentActions(shared, appName, { details: false })}
      <h2 id="reads">What ${appName} read</h2>
      ${
        history.entries.length === 0
          ? html`<p>${appName} has not read anything with this permission${history.newer ? " further back" : ""}.</p>`
          : html`<table aria-labelledby="reads">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Which data</th>
                  <th scope="col">Operation</th>
                </tr>
              </thead>
              <tbody>
                ${history.entries.map(
                  (e) =>
                    html`<tr>
                      <td>${time.dateTime(e.at)}</td>
                      <td>${e.scopes.map(scopeLabel).join(", ")}</td>
                      <td>${e.operationName ?? html`<span class="note">unnamed</span>`}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${
        history.newer || history.older
          ? html`<nav class="pages" aria-label="Pages of reads">
              ${history.newer ? html`<a href="${path}?newer=${encodeURIComponent(history.newer)}#reads">Newer reads</a>` : html`<span></span>`}
              ${history.older ? html`<a href="${path}?older=${encodeURIComponent(history.older)}#reads">Older reads</a>` : ""}
            </nav>`
          : ""
      }
      <h2>History of this permission</h2>
      ${eventList(detail.events, time)}`,
  });
}
