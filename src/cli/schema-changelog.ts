/**
 * `docs/schema-changelog.md`: every change to the public contract that `npm run schema` writes,
 * newest first, with the reason for an accepted break. Entries go right below the marker line, so
 * the hand-written introduction above it stays untouched.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { SchemaChanges } from "./schema-changes.js";

/** New entries are inserted right after this line. */
export const CHANGELOG_MARKER = "<!-- schema-changelog:entries (npm run schema adds entries below, newest first) -->";

export interface ChangelogEntry {
  /** YYYY-MM-DD. */
  date: string;
  /** Why (required when something breaks), or a summary. */
  title: string;
  changes: SchemaChanges;
}

/** The entry's Markdown. */
export function renderChangelogEntry(entry: ChangelogEntry): string {
  const section = (heading: string, lines: string[]) => (lines.length ? [`${heading}:`, "", ...lines.map((l) => `- ${l}`), ""] : []);
  return [
    `## ${entry.date} — ${entry.title}`,
    "",
    ...section(
      "Breaking (accepted)",
      entry.changes.breaking.map((c) => `${c.type}: ${c.description}`),
    ),
    ...section(
      "Dangerous",
      entry.changes.dangerous.map((c) => `${c.type}: ${c.description}`),
    ),
    ...section(
      "Added",
      entry.changes.added.map((c) => `\`${c}\``),
    ),
  ].join("\n");
}

/** A changelog started by the tool (the repository's own has a hand-written introduction). */
const NEW_CHANGELOG = `# Schema changelog\n\n${CHANGELOG_MARKER}\n`;

/** Inserts the entry below {@link CHANGELOG_MARKER} (starting the file if missing); throws when the marker is missing. */
export async function appendChangelogEntry(file: string | URL, entry: ChangelogEntry): Promise<void> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return NEW_CHANGELOG;
    throw error;
  });
  const at = text.indexOf(CHANGELOG_MARKER);
  if (at < 0) throw new Error(`${String(file)} has no "${CHANGELOG_MARKER}" line to add entries below`);
  const end = at + CHANGELOG_MARKER.length;
  const older = text.slice(end).replace(/^\n+/, "");
  await writeFile(file, `${text.slice(0, end)}\n\n${renderChangelogEntry(entry)}${older ? `\n${older}` : ""}`);
}
