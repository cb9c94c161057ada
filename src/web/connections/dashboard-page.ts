/**
 * /connections: every app the person shares with and, under it, every bank — what, why, until
 * when, last read, how often (a chart per app) — with the ways to stop; then their banks, each
 * unlinkable for all apps at once; and the time zone the page speaks in.
 */
import type { AppConnections, ConnectedBank, Dashboard } from "../../connections/connections-model.js";
import { CHART_DAYS } from "../../connections/connections-service.js";
import { DAY_MS } from "../../clock.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import { TIME_ZONES, type TimeFormats } from "../time-zone.js";
import { consentActions, eventList, sharedSummary } from "./shared-summary.js";
import { readsChart, type DayCount } from "./reads-chart.js";
import { listInWords } from "./connections-wording.js";

export interface DashboardPageOptions {
  dashboard: Dashboard;
  userId: string;
  csrfToken: string;
  time: TimeFormats;
  now: Date;
  /** The "Money sent" section (src/web/connections/payments-pages.ts), after the apps. */
  moneySent?: Html;
}

export function dashboardPage(options: DashboardPageOptions): Html {
  const { dashboard, time } = options;
  const days = chartDays(options.now, time);
  return layout({
    title: "Your connections",
    signedInAs: options.userId,
    main: html`<h1>Your connections</h1>
      <p>
        These are the apps you let read data from your bank accounts through Bankgraph. You can see what each one read and when, and stop any of it at once.
      </p>
      <p>Payments an app asks you to send are confirmed with a passkey: <a href="/passkeys">manage your passkeys</a>.</p>
      ${timeZoneForm(options.csrfToken, time.zone)} ${dashboard.apps.length === 0 ? html`<p>You do not share anything with any app.</p>` : ""}
      ${dashboard.apps.map((app, i) => appSection(app, i, readsOf(dashboard, app.clientId, days), time))} ${options.moneySent} ${banksSection(dashboard.banks)}`,
  });
}

function appSection(app: AppConnections, index: number, days: DayCount[], time: TimeFormats): Html {
  const headingId = `app-${index}`;
  return html`<section class="app" aria-labelledby="${headingId}">
    <h2 id="${headingId}">${app.appName}</h2>
    ${readsChart({ id: `chart-${index}`, appName: app.appName, days })}
    ${app.banks.map(
      (shared) =>
        html`<article class="bank" aria-label="${app.appName} at ${shared.institutionName}">
          <h3>${shared.institutionName}</h3>
          ${sharedSummary(shared, app.appName, time)}
          <details>
            <summary>History of this permission<span class="visually-hidden"> for ${app.appName} at ${shared.institutionName}</span></summary>
            ${eventList(shared.events, time)}
          </details>
          ${consentActions(shared, app.appName, { details: true })}
        </article>`,
    )}
    ${
      app.active
        ? html`<p class="actions">
            <a class="button danger" href="/connections/apps/${encodeURIComponent(app.clientId)}/stop">Stop everything for ${app.appName}</a>
          </p>`
        : ""
    }
  </section>`;
}

function banksSection(banks: readonly ConnectedBank[]): Html {
  return html`<section class="app" aria-labelledby="banks">
    <h2 id="banks">Your banks</h2>
    ${
      banks.length === 0
        ? html`<p>No bank is connected.</p>`
        : html`<ul class="plain">
            ${banks.map(
              (bank) =>
                html`<li>
                  <strong>${bank.institutionName}</strong>: ${bank.appNames.length === 0 ? "no app uses it now." : html`used by ${listInWords(bank.appNames)}.`}
                  <a href="/connections/links/${encodeURIComponent(bank.linkId)}/unlink">Unlink ${bank.institutionName} for all apps</a>
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

function timeZoneForm(csrfToken: string, current: string): Html {
  return html`<form method="post" action="/connections/time-zone" class="inline">
    ${csrfField(csrfToken)}
    <label for="time-zone">Times are shown in</label>
    <select id="time-zone" name="time_zone">
      ${TIME_ZONES.map((zone) => html`<option value="${zone}" ${zone === current ? html`selected` : ""}>${zone.replace(/_/g, " ")}</option>`)}
    </select>
    <button class="secondary" type="submit">Change time zone</button>
  </form>`;
}

/** The chart window's days, oldest first, in the person's time zone. */
function chartDays(now: Date, time: TimeFormats): string[] {
  const days: string[] = [];
  for (let i = CHART_DAYS - 1; i >= 0; i--) days.push(time.day(new Date(now.getTime() - i * DAY_MS)));
  return [...new Set(days)];
}

function readsOf(dashboard: Dashboard, clientId: string, days: readonly string[]): DayCount[] {
  const counts = new Map(dashboard.readsPerDay.filter((r) => r.clientId === clientId).map((r) => [r.day, r.reads]));
  return days.map((day) => ({ day, reads: counts.get(day) ?? 0 }));
}
