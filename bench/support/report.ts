/**
 * What a scenario hands back, and how the run is printed: one aligned table per scenario, then
 * every target with its measured value and whether it was met.
 */

/** One stated target, e.g. "p50 ratio ≤ 1.15". */
export interface TargetCheck {
  name: string;
  measured: number;
  op: "<=" | ">=";
  limit: number;
  met: boolean;
}

export interface ScenarioTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface ScenarioResult {
  id: string;
  title: string;
  tables: ScenarioTable[];
  targets: TargetCheck[];
  /** Everything measured, for results.json. */
  metrics: Record<string, unknown>;
  notes: string[];
}

export function check(name: string, measured: number, op: TargetCheck["op"], limit: number): TargetCheck {
  return { name, measured, op, limit, met: op === "<=" ? measured <= limit : measured >= limit };
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable({ columns, rows }: ScenarioTable): string {
  const cells = [columns, ...rows.map((row) => row.map(String))];
  const widths = columns.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  const line = (row: string[], original?: Array<string | number>) =>
    row
      .map((cell, c) => (typeof original?.[c] === "number" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((row) => line(row.map(String), row))].join("\n");
}

/** The whole run as text: each scenario's tables and notes, then the targets. */
export function renderReport(results: readonly ScenarioResult[]): string {
  const parts: string[] = [];
  for (const result of results) {
    parts.push(`\n== ${result.id}. ${result.title}`);
    for (const table of result.tables) parts.push(renderTable(table));
    for (const note of result.notes) parts.push(`  note: ${note}`);
  }
  const targets = results.flatMap((r) => r.targets.map((t) => [`${r.id}. ${t.name}`, t.measured, `${t.op} ${t.limit}`, t.met ? "met" : "MISSED"]));
  if (targets.length > 0) parts.push("\n== Targets", renderTable({ columns: ["target", "measured", "limit", ""], rows: targets }));
  return parts.join("\n");
}
