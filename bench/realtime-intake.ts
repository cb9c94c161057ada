/**
 * `node --import tsx bench/realtime-intake.ts [--seconds 300] [--people 100] [--subs 10] [--banks 4] [--sample 10]`:
 * sustained webhook intake with people × subs live subscribers (bench/realtime/intake.ts),
 * printed sample by sample. `npm run bench -- --only 9` runs it as scenario 9 (5 minutes; --quick: seconds).
 */
// Before any schema class is loaded (type-graphql reads decorator metadata as the classes load).
import "reflect-metadata";
import { parseArgs } from "node:util";
import { measureRealtimeIntake } from "./realtime/intake.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    people: { type: "string", default: "100" },
    subs: { type: "string", default: "10" },
    banks: { type: "string", default: "4" },
    sample: { type: "string", default: "10" },
    warmup: { type: "string", default: "10" },
  },
});
const options = {
  seconds: Number(values.seconds),
  people: Number(values.people),
  subs: Number(values.subs),
  banks: Number(values.banks),
  sampleSeconds: Number(values.sample),
  warmupSeconds: Number(values.warmup),
};
const result = await measureRealtimeIntake(options);

process.stdout.write(
  [
    `realtime intake, ${options.people} people × ${options.subs} subscriptions = ${options.people * options.subs} live subscribers, ${options.banks} banks sending, ${result.seconds.toFixed(0)} s, store: PGlite in memory, gc: ${result.gcForced ? "forced before each sample" : "not exposed"}`,
    ...result.samples.map(
      (s) =>
        `t=${s.atSeconds}s events/s ${s.eventsPerSecond.toFixed(1)} deliveries/s ${s.deliveriesPerSecond.toFixed(0)} heap ${s.heapMb.toFixed(1)} MB rss ${s.rssMb.toFixed(1)} MB`,
    ),
    `total: ${result.accepted} events accepted (${(result.accepted / result.seconds).toFixed(1)}/s), ${result.delivered} deliveries (${(result.delivered / result.seconds).toFixed(0)}/s)`,
    `owed ${result.owed} deliveries, ${result.deliveredAtEnd} delivered after ${result.drainedSeconds.toFixed(0)} s of draining`,
    `memory after GC: start heap ${result.start.heapMb.toFixed(1)} MB rss ${result.start.rssMb.toFixed(1)} MB; end heap ${result.end.heapMb.toFixed(1)} MB rss ${result.end.rssMb.toFixed(1)} MB`,
    "",
  ].join("\n"),
);
