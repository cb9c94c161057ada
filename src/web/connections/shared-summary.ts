/**
 * One app's access at one bank, as the person reads it on the dashboard and on its own page:
 * status, accounts (masked), what and why in plain words, dates in their time zone, last access,
 * and the warning when the end is near.
 */
import type { SharedWithApp } from "../../connections/connections-model.js";
import { ConsentStatus } from "../../domain/consent.js";
import type { AccountType } from "../../domain/model.js";
import { PURPOSE_WORDING, SCOPE_WORDING } from "../../consent/consent-wording.js";
import { html, type Html } from "../html.js";
import type { TimeFormats } from "../time-zone.js";
import type { ConsentEvent } from "../../store/consent-event-repository.js";
import { ACCOUNT_TYPE_WORDING, actorWords, eventNote, eventWords, STATUS_WORDING } from "./connections-wording.js";

/** The path of a consent's own page (and of the routes under it: stop, receipt, renew). */
export const consentPath = (consentId: string) => `/connections/consents/${encodeURIComponent(consentId)}`;

export function sharedSummary(shared: SharedWithApp, appName: string, time: TimeFormats): Html {
  const { consent } = shared;
  const ended = consent.revokedAt ?? (consent.status === ConsentStatus.EXPIRED ? consent.expiresAt : null);
  return html`<dl class="facts">
    <dt>Status</dt>
    <dd>
      <span class="status status-${consent.status.toLowerCase()}">${STATUS_WORDING[consent.status]}</span>${ended ? html` since ${time.date(ended)}` : ""}
    </dd>
    <dt>Accounts shared</dt>
    <dd>
      ${
        shared.accounts.length === 0
          ? "The accounts you chose at your bank"
          : html`<ul class="accounts">
              ${shared.accounts.map((a) => html`<li>${a.name} (${ACCOUNT_TYPE_WORDING[a.type as AccountType] ?? a.type}) <span class="mask">••${a.mask}</span></li>`)}
            </ul>`
      }
    </dd>
    <dt>What ${appName} can see</dt>
    <dd>
      <ul class="plain">
        ${consent.scopes.map((s) => html`<li>${SCOPE_WORDING[s]?.label ?? s}</li>`)}
      </ul>
    </dd>
    <dt>Why</dt>
    <dd>So that it can ${PURPOSE_WORDING[consent.purpose] ?? consent.purpose}.</dd>
    <dt>Granted on</dt>
    <dd>${consent.authorizedAt ? time.date(consent.authorizedAt) : "Not yet"}</dd>
    <dt>Ends on</dt>
    <dd>
      ${consent.expiresAt ? time.date(consent.expiresAt) : "Not set"}
      ${
        shared.expiryWarning
          ? html`<p class="warning" role="status">Ends within ${shared.expiryWarning} days. Renew it if you want ${appName} to keep seeing this.</p>`
          : ""
      }
    </dd>
    <dt>Last accessed</dt>
    <dd>${shared.lastAccessedAt ? time.dateTime(shared.lastAccessedAt) : "Never"}</dd>
  </dl>`;
}

/** Receipt, renew (only while sharing) and stop (only while open): links, each to its own page. */
export function consentActions(shared: SharedWithApp, appName: string, options: { details: boolean }): Html {
  const { consent } = shared;
  const path = consentPath(consent.id);
  const where = html`<span class="visually-hidden"> with ${appName} at ${shared.institutionName}</span>`;
  const open = consent.status === ConsentStatus.AUTHORIZED || consent.status === ConsentStatus.AWAITING_AUTHORIZATION;
  return html`<p class="actions">
    ${options.details ? html`<a href="${path}">Access history and details${where}</a>` : ""}
    <a href="${path}/receipt">Receipt${where}</a>
    ${consent.status === ConsentStatus.AUTHORIZED ? html`<a class="button" href="${path}/renew">Renew${where}</a>` : ""}
    ${open ? html`<a class="button danger" href="${path}/stop">Stop sharing${where}</a>` : ""}
  </p>`;
}

/** A permission's history, oldest first: when, what, by whom ("you", "the app", "Bankgraph", "your bank"), and why. */
export function eventList(events: readonly ConsentEvent[], time: TimeFormats): Html {
  return html`<ol class="plain">
    ${events.map((event) => {
      const note = eventNote(event);
      return html`<li>${time.dateTime(event.at)}: ${eventWords(event)} by ${actorWords(event)}.${note ? ` ${note}` : ""}</li>`;
    })}
  </ol>`;
}
