// One linear of a decoder layer on the GPU, as both the training program and
// the generator run it: y = x·Wᵀ, plus the q/k/v bias, plus the LoRA update
// scale·(x·Aᵀ)·Bᵀ when the layer has an adapter on that linear.
import type { Dispatch } from "../gpu/kernel";
import { prepareLinearForward } from "../gpu/ops/linear";
import { prepareLoraForward } from "../gpu/ops/lora";
import type { GpuLayer } from "./gpu_model";
import type { LinearName } from "../protocol/lora";

/**
 * Dispatches for y = x·Wᵀ (+ bias) (+ LoRA) over M rows: x (M, K), y (M, N) for W (N, K); `u` (M, r)
 * is scratch for the LoRA down-projection x·Aᵀ (kept by the training program for the backward pass).
 */
export function prepareLayerLinearForward(
  device: GPUDevice,
  layer: GpuLayer,
  name: LinearName,
  buffers: { x: GPUBuffer; y: GPUBuffer; u: () => GPUBuffer },
  M: number,
): Dispatch[] {
  const { x, y } = buffers;
  const w = layer.linear[name];
  const bias = name === "q" || name === "k" || name === "v" ? layer.bias[name] : undefined;
  const out: Dispatch[] = [prepareLinearForward(device, bias ? { x, w, y, bias } : { x, w, y }, { M })];
  const lora = layer.lora[name];
  if (lora) {
    out.push(
      ...prepareLoraForward(
        device,
        { x, A: lora.A.param, B: lora.B.param, u: buffers.u(), y },
        { M, K: w.cols, N: w.rows, r: lora.r, scale: lora.scale },
      ),
    );
  }
  return out;
}
