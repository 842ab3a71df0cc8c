// Per-kernel profile of a dispatch list: each dispatch submitted alone and
// waited for, so a kernel's time includes one submission's overhead (small
// next to the kernels this is for). Times add up by kernel label; used by
// `tapo bench` to show where a training step's time goes on an adapter.
import { type Dispatch, runDispatches } from "../gpu/kernel";

export type KernelTime = { label: string; dispatches: number; seconds: number };

/** Seconds per kernel label over one pass of `dispatches` (after one warm-up pass), slowest first. */
export async function profileDispatches(device: GPUDevice, dispatches: Dispatch[]): Promise<KernelTime[]> {
  runDispatches(device, dispatches, "profile-warmup");
  await device.queue.onSubmittedWorkDone();
  const byLabel = new Map<string, KernelTime>();
  for (const d of dispatches) {
    const t0 = performance.now();
    runDispatches(device, [d], "profile");
    await device.queue.onSubmittedWorkDone();
    const s = (performance.now() - t0) / 1000;
    const k = byLabel.get(d.label) ?? { label: d.label, dispatches: 0, seconds: 0 };
    k.dispatches += 1;
    k.seconds += s;
    byLabel.set(d.label, k);
  }
  return [...byLabel.values()].sort((a, b) => b.seconds - a.seconds);
}
