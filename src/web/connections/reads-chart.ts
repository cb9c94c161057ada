/**
 * A small bar chart the server draws: one app's reads per day over the chart window, as inline
 * SVG (no script, no style attribute: the strict CSP allows it), with a text alternative — a
 * one-sentence summary as the image's description, and the numbers as a table under <details>.
 */
import { html, type Html } from "../html.js";

export interface DayCount {
  /** YYYY-MM-DD in the person's time zone. */
  day: string;
  reads: number;
}

const WIDTH = 600;
const HEIGHT = 120;
const AXIS = 20;

/** "Dec 3" for a YYYY-MM-DD day (a calendar day: no time zone shifts it). */
const dayLabel = (day: string) => new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

/** The chart of one app; `id` must be unique on the page (it names the title and description). */
export function readsChart(options: { id: string; appName: string; days: readonly DayCount[] }): Html {
  const { id, appName, days } = options;
  const total = days.reduce((sum, d) => sum + d.reads, 0);
  const peak = days.reduce((best, d) => (d.reads > best.reads ? d : best), { day: "", reads: 0 });
  const max = Math.max(1, peak.reads);
  const slot = WIDTH / Math.max(1, days.length);
  const summary =
    total === 0
      ? `${appName} read nothing in the last ${days.length} days.`
      : `${appName} read your data ${total} ${total === 1 ? "time" : "times"} in the last ${days.length} days, most on ${dayLabel(peak.day)} (${peak.reads}).`;
  const bars = days.map((d, i) => {
    const h = Math.round((d.reads / max) * (HEIGHT - AXIS - 4));
    return html`<rect x="${(i * slot + 1).toFixed(1)}" y="${HEIGHT - AXIS - h}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h}" fill="#0b5f4a"
      ><title>${dayLabel(d.day)}: ${d.reads}</title></rect
    >`;
  });
  const first = days[0];
  const last = days.at(-1);
  return html`<figure class="chart">
    <svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" height="${HEIGHT}" focusable="false">
      <title id="${id}-title">Reads per day by ${appName}</title>
      <desc id="${id}-desc">${summary}</desc>
      <line x1="0" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}" stroke="#4b5563" stroke-width="1" />
      ${bars} ${first ? html`<text x="0" y="${HEIGHT - 4}" font-size="12" fill="#4b5563">${dayLabel(first.day)}</text>` : ""}
      ${last ? html`<text x="${WIDTH}" y="${HEIGHT - 4}" font-size="12" fill="#4b5563" text-anchor="end">${dayLabel(last.day)}</text>` : ""}
    </svg>
    <figcaption>${summary}</figcaption>
    ${
      total > 0
        ? html`<details>
            <summary>Reads per day as a table</summary>
            <table>
              <caption>
                Reads per day by ${appName}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Reads</th>
                </tr>
              </thead>
              <tbody>
                ${days
                  .filter((d) => d.reads > 0)
                  .map(
                    (d) =>
                      html`<tr>
                        <td>${dayLabel(d.day)}</td>
                        <td>${d.reads}</td>
                      </tr>`,
                  )}
              </tbody>
            </table>
          </details>`
        : ""
    }
  </figure>`;
}
