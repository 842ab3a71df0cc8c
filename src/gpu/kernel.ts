// Small helpers every kernel launcher shares. The pattern: a launcher's
// `prepare…` function compiles (or reuses) its pipeline, builds its bind group
// and uniform parameters ONCE, and returns Dispatch records; the model runtime
// records many of them into one compute pass per step and replays them on
// every call, so nothing is allocated or compiled on the hot path.
//
// Binding convention: every kernel binds buffers at @group(0) @binding(i) in
// the order its WGSL header lists them; the uniform parameters come last.

/** A compiled compute pipeline. */
export type Kernel = { pipeline: GPUComputePipeline; label: string };

/** One recorded-ready dispatch: pipeline, bound resources and grid. */
export type Dispatch = {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
};

const pipelineCache = new WeakMap<GPUDevice, Map<string, Kernel>>();

/** Compiles (or reuses) a pipeline for `code` with the given `override` constants. */
export function getKernel(
  device: GPUDevice,
  label: string,
  code: string,
  constants: Record<string, number> = {},
): Kernel {
  let cache = pipelineCache.get(device);
  if (!cache) {
    cache = new Map();
    pipelineCache.set(device, cache);
  }
  const key = `${label}|${JSON.stringify(constants)}|${code}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const module = device.createShaderModule({ label, code });
  const pipeline = device.createComputePipeline({
    label,
    layout: "auto",
    compute: { module, entryPoint: "main", constants },
  });
  const kernel = { pipeline, label };
  cache.set(key, kernel);
  return kernel;
}

/** Binds `buffers` at 0..n-1 and fixes the grid; build once, encode many times. */
export function makeDispatch(
  device: GPUDevice,
  kernel: Kernel,
  buffers: GPUBuffer[],
  workgroups: [number, number?, number?],
): Dispatch {
  const bindGroup = device.createBindGroup({
    label: kernel.label,
    layout: kernel.pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    label: kernel.label,
    pipeline: kernel.pipeline,
    bindGroup,
    workgroups: [workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1],
  };
}

/** Records dispatches in order into one compute pass (WebGPU orders storage writes between dispatches). */
export function encodeDispatches(encoder: GPUCommandEncoder, dispatches: Dispatch[], label = "tapo"): void {
  const pass = encoder.beginComputePass({ label });
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  }
  pass.end();
}

/** Encodes and submits dispatches on their own command buffer. */
export function runDispatches(device: GPUDevice, dispatches: Dispatch[], label = "tapo"): void {
  const encoder = device.createCommandEncoder({ label });
  encodeDispatches(encoder, dispatches, label);
  device.queue.submit([encoder.finish()]);
}

/** A storage buffer holding `data` (or `byteLength` zero bytes), size rounded up to 4. */
export function storageBuffer(device: GPUDevice, data: ArrayBufferView | number, label = "storage"): GPUBuffer {
  const byteLength = typeof data === "number" ? data : data.byteLength;
  const buffer = device.createBuffer({
    label,
    size: Math.max(4, Math.ceil(byteLength / 4) * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (typeof data !== "number") writeBufferPadded(device, buffer, data);
  return buffer;
}

/** writeBuffer needs a multiple of 4 bytes; pads short tails with zeros. */
function writeBufferPadded(device: GPUDevice, buffer: GPUBuffer, data: ArrayBufferView): void {
  if (data.byteLength % 4 === 0) {
    device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return;
  }
  const padded = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  padded.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  device.queue.writeBuffer(buffer, 0, padded);
}

/** One field of a uniform parameter block, in WGSL struct order (all 4-byte scalars). */
export type ParamField = ["u32" | "i32" | "f32", number];

/** A uniform buffer for a struct of 4-byte scalars, e.g. params(device, [["u32", T], ["f32", eps]]). */
export function params(device: GPUDevice, fields: ParamField[], label = "params"): GPUBuffer {
  const words = Math.max(4, Math.ceil(fields.length / 4) * 4);
  const bytes = new ArrayBuffer(words * 4);
  const view = new DataView(bytes);
  fields.forEach(([type, value], i) => {
    if (type === "u32") view.setUint32(i * 4, value, true);
    else if (type === "i32") view.setInt32(i * 4, value, true);
    else view.setFloat32(i * 4, value, true);
  });
  const buffer = device.createBuffer({ label, size: bytes.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, bytes);
  return buffer;
}

/** A uniform buffer holding u32 parameters. */
export function uniformU32(device: GPUDevice, values: number[], label = "params"): GPUBuffer {
  return params(device, values.map((v): ParamField => ["u32", v]), label);
}

/** Copies a buffer back to the CPU as f32. */
export async function readF32(device: GPUDevice, source: GPUBuffer, count: number, offsetElements = 0): Promise<Float32Array> {
  const size = count * 4;
  const staging = device.createBuffer({ size: Math.max(4, size), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, offsetElements * 4, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, size));
  staging.unmap();
  staging.destroy();
  return out;
}
