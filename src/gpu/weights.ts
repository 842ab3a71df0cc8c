// Frozen weights on the GPU: the two planes of a WeightMatrix as storage
// buffers, and the WGSL snippet that reads its format (shaders/lib/weight_*.wgsl).
import f32Lib from "../../shaders/lib/weight_f32.wgsl?raw";
import q4Lib from "../../shaders/lib/weight_q4_0.wgsl?raw";
import q8Lib from "../../shaders/lib/weight_q8_0.wgsl?raw";
import type { WeightFormat, WeightMatrix } from "../protocol/tensors";
import { storageBuffer } from "./kernel";

/** A weight W: (rows, cols) on the GPU; bind `data` then `scales`. */
export type GpuWeight = {
  format: WeightFormat;
  rows: number;
  cols: number;
  data: GPUBuffer;
  scales: GPUBuffer;
};

export function uploadWeight(device: GPUDevice, m: WeightMatrix, label = "weight"): GpuWeight {
  return {
    format: m.format,
    rows: m.rows,
    cols: m.cols,
    data: storageBuffer(device, m.data, `${label}.data`),
    scales: storageBuffer(device, m.scales, `${label}.scales`),
  };
}

/** WGSL defining w_load(row, col, cols) and w_load4(row, col, cols) for the format. */
export function weightLib(format: WeightFormat): string {
  return format === "f32" ? f32Lib : format === "q8_0" ? q8Lib : q4Lib;
}
