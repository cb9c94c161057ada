/**
 * `node --import tsx bench/realtime-intake.ts [--seconds 300] [--people 100] [--subs 10] [--banks 4] [--sample 30]
 *  [--warmup 30] [--calibrate 30] [--pace 0.7] [--heap-snapshots DIR] [--cpu-prof FILE]`: sustained webhook intake with
 * people × subs live subscribers, paced below what delivery keeps up with (bench/realtime/intake.ts),
 * printed sample by sample. `npm run bench -- --only 9` runs it as scenario 9 (5 minutes; --quick: seconds).
 * INTAKE_ALLOCATION_PROFILE=FILE writes a sampling allocation profile of the soak (.heapprofile, collected
 * objects included: what the delivery path allocates, not what it keeps).
 */
// Before any schema class is loaded (type-graphql reads decorator metadata as the classes load).
import "reflect-metadata";
import { parseArgs } from "node:util";
import { describeIntake } from "./realtime/intake-report.js";
import { measureRealtimeIntake } from "./realtime/intake.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    people: { type: "string", default: "100" },
    subs: { type: "string", default: "10" },
    banks: { type: "string", default: "4" },
    sample: { type: "string", default: "30" },
    warmup: { type: "string", default: "30" },
    calibrate: { type: "string", default: "30" },
    pace: { type: "string", default: "0.7" },
    "heap-snapshots": { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
const options = {
  seconds: Number(values.seconds),
  people: Number(values.people),
  subs: Number(values.subs),
  banks: Number(values.banks),
  sampleSeconds: Number(values.sample),
  warmupSeconds: Number(values.warmup),
  calibrateSeconds: Number(values.calibrate),
  paceFraction: Number(values.pace),
  heapSnapshotDir: values["heap-snapshots"],
  cpuProfilePath: values["cpu-prof"],
};
const result = await measureRealtimeIntake(options);
process.stdout.write(describeIntake(options, result).join("\n") + "\n");
