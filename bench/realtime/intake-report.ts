/**
 * The intake soak's result as plain lines (bench/realtime-intake.ts prints them; scenario 9
 * builds tables of its own from the same result), and the one growth figure both judge by.
 */
import type { RealtimeIntakeOptions, RealtimeIntakeResult } from "./intake.js";

const mb = (value: number) => `${value.toFixed(1)} MB`;

/** Heap growth after GC, start → end quiet point, in MB and % of the start. */
export function heapGrowth(result: RealtimeIntakeResult): { mb: number; percent: number } {
  const growth = result.end.memory.heapMb - result.start.memory.heapMb;
  return { mb: growth, percent: (100 * growth) / result.start.memory.heapMb };
}

export function describeIntake(options: RealtimeIntakeOptions, result: RealtimeIntakeResult): string[] {
  const subscribers = options.people * options.subs;
  const { calibration: c, soak, start, end } = result;
  const growth = heapGrowth(result);
  const quiet = (name: string, point: RealtimeIntakeResult["start"]) =>
    `${name}: backlog ${point.backlog} when the banks stopped, ${point.drained ? "drained" : "NOT drained"} in ${point.drainedSeconds.toFixed(1)} s; heap ${mb(point.memory.heapMb)} rss ${mb(point.memory.rssMb)} external ${mb(point.memory.externalMb)}`;
  return [
    `realtime intake, ${options.people} people × ${options.subs} subscriptions = ${subscribers} live subscribers, ${options.banks} banks sending (child process), store: PGlite in memory, gc: ${result.gcForced ? "forced before each sample" : "not exposed"}`,
    `calibration (${c.seconds.toFixed(0)} s, backlog bounded): ${c.accepted} events (${c.eventsPerSecond.toFixed(2)}/s), ${c.delivered} deliveries (${c.deliveriesPerSecond.toFixed(0)}/s) = ${c.capacityEventsPerSecond.toFixed(2)} events/s delivered to every subscriber; CPU ${(c.cpuMs / c.delivered).toFixed(3)} ms per delivery`,
    `soak paced at ${result.pacedEventsPerSecond.toFixed(2)} events/s (${options.paceFraction ?? 0.7} of that)`,
    quiet("start (after warm-up)", start),
    ...result.samples.map(
      (s) =>
        `t=${s.atSeconds}s events/s ${s.eventsPerSecond.toFixed(2)} deliveries/s ${s.deliveriesPerSecond.toFixed(0)} backlog ${s.backlog} heap ${mb(s.heapMb)} rss ${mb(s.rssMb)}`,
    ),
    `soak: ${soak.accepted} events accepted in ${soak.seconds.toFixed(0)} s (${soak.eventsPerSecond.toFixed(2)}/s), ${soak.delivered} deliveries (${soak.deliveriesPerSecond.toFixed(0)}/s); largest backlog at a sample ${result.maxBacklog}; CPU ${(soak.cpuMs / 1000).toFixed(1)} s (${(soak.cpuMs / soak.delivered).toFixed(3)} ms per delivery, gateway and clients)`,
    quiet("end", end),
    `run in all: ${result.acceptedInAll} events accepted, ${result.deliveredInAll} deliveries of ${result.acceptedInAll * subscribers} owed`,
    `heap after GC start → end: ${mb(start.memory.heapMb)} → ${mb(end.memory.heapMb)} (${growth.mb >= 0 ? "+" : ""}${growth.mb.toFixed(1)} MB, ${growth.percent.toFixed(2)} %); rss ${mb(start.memory.rssMb)} → ${mb(end.memory.rssMb)}; external ${mb(start.memory.externalMb)} → ${mb(end.memory.externalMb)}`,
    `banks' process (information): heap ${mb(result.banksProcess.start.heapUsedMb)} → ${mb(result.banksProcess.end.heapUsedMb)}, rss ${mb(result.banksProcess.start.rssMb)} → ${mb(result.banksProcess.end.rssMb)}`,
    ...(result.heapSnapshots ? [`heap snapshots: ${result.heapSnapshots.join(", ")}`] : []),
  ];
}
