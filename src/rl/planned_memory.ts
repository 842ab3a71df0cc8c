// The GPU memory a run plans, from the two plans the engine makes before it
// allocates anything: the generator's (weights, adapter, KV cache and its
// buffers) and the update's (weights, adapter, the largest pass's activations).
// Weights and adapter are counted once, since both share them.
import type { MemoryEstimate } from "../model/memory";
import type { PlannedMemory } from "../protocol/run";

/** The run's peak plan; undefined when the update's plan is missing (not even one sequence fits a pass). */
export function plannedMemory(generator: MemoryEstimate, update: MemoryEstimate | undefined): PlannedMemory | undefined {
  if (!update) return undefined;
  const generation = generator.byGroup.activations + generator.byGroup.head;
  const pass = update.byGroup.activations + update.byGroup.head;
  const { weights, trainable } = update.byGroup;
  return { weights, trainable, generation, update: pass, total: weights + trainable + generation + pass };
}
