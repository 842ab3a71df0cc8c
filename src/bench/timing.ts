// Wall-clock timing of GPU work: submit, wait for the queue to drain, repeat.
// Includes submission overhead, which is what a user's step pays too.
import { type Dispatch, runDispatches } from "../gpu/kernel";

/** Median seconds of one run of `dispatches` over `repeats` runs after one warm-up. */
export async function timeDispatches(device: GPUDevice, dispatches: Dispatch[], repeats: number): Promise<number> {
  runDispatches(device, dispatches, "bench-warmup");
  await device.queue.onSubmittedWorkDone();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    runDispatches(device, dispatches, "bench");
    await device.queue.onSubmittedWorkDone();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
