/**
 * `node --import tsx bench/heap-snapshot-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 30]`: which
 * kinds of object a heap gained between two V8 heap snapshots (the intake soak writes them with
 * `--heap-snapshots`; `node --heapsnapshot-signal=SIGUSR2` or DevTools write them too). Counts
 * and self sizes per constructor (objects, closures by function name, arrays, strings, code…),
 * largest growth first: the first place to look when a soak's heap grows. Self sizes only —
 * what an object retains is DevTools' job.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Tally = Map<string, { count: number; bytes: number }>;

/** Count and self size per "type name" ("object Foo", "closure bar", "string", …). */
async function tally(path: string): Promise<Tally> {
  const heap = JSON.parse(await readFile(path, "utf8")) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const byKind: Tally = new Map();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt]!]!;
    // Every string is its own name: group them by type only.
    const kind = type === "string" || type === "concatenated string" || type === "sliced string" ? type : `${type} ${heap.strings[heap.nodes[i + nameAt]!]}`;
    const entry = byKind.get(kind) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += heap.nodes[i + sizeAt]!;
    byKind.set(kind, entry);
  }
  return byKind;
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "30" } } });
if (positionals.length !== 2) throw new Error("usage: heap-snapshot-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top N]");
const [before, after] = [await tally(positionals[0]!), await tally(positionals[1]!)];
const total = (t: Tally) => [...t.values()].reduce((sum, e) => sum + e.bytes, 0);
const rows = [...new Set([...before.keys(), ...after.keys()])]
  .map((kind) => {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    const a = after.get(kind) ?? { count: 0, bytes: 0 };
    return { kind, count: a.count - b.count, bytes: a.bytes - b.bytes, after: a };
  })
  .filter((r) => r.bytes !== 0 || r.count !== 0)
  .sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes))
  .slice(0, Number(values.top));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
process.stdout.write(
  [
    `self size in all: ${kb(total(before))} → ${kb(total(after))} KB (${kb(total(after) - total(before))} KB)`,
    "Δ KB      Δ count   count after  kind",
    ...rows.map((r) => `${kb(r.bytes).padStart(8)}  ${String(r.count).padStart(8)}  ${String(r.after.count).padStart(11)}  ${r.kind.slice(0, 100)}`),
    "",
  ].join("\n"),
);
