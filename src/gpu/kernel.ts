// Small helpers every kernel launcher shares: compile a compute pipeline once
// per (shader, constants), make storage buffers, bind them in order, dispatch,
// and read results back. Launchers stay a few lines each.

/** A compiled compute pipeline; bindings are storage/uniform buffers at group 0, binding i. */
export type Kernel = { pipeline: GPUComputePipeline; label: string };

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
  const key = `${label}|${JSON.stringify(constants)}|${code.length}`;
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

/** Records one dispatch of `kernel` with `buffers` bound at 0..n-1. */
export function encodeDispatch(
  encoder: GPUCommandEncoder,
  device: GPUDevice,
  kernel: Kernel,
  buffers: GPUBuffer[],
  workgroups: [number, number?, number?],
): void {
  const bindGroup = device.createBindGroup({
    label: kernel.label,
    layout: kernel.pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass = encoder.beginComputePass({ label: kernel.label });
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
  pass.end();
}

/** A storage buffer holding `data` (or `byteLength` zero bytes). */
export function storageBuffer(device: GPUDevice, data: ArrayBufferView | number, label = "storage"): GPUBuffer {
  const byteLength = typeof data === "number" ? data : data.byteLength;
  const buffer = device.createBuffer({
    label,
    size: Math.max(4, Math.ceil(byteLength / 4) * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (typeof data !== "number") {
    device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }
  return buffer;
}

/** A uniform buffer holding u32 parameters. */
export function uniformU32(device: GPUDevice, values: number[], label = "params"): GPUBuffer {
  const data = new Uint32Array(Math.max(4, Math.ceil(values.length / 4) * 4));
  data.set(values);
  const buffer = device.createBuffer({ label, size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** Copies a buffer back to the CPU as f32. */
export async function readF32(device: GPUDevice, source: GPUBuffer, count: number): Promise<Float32Array> {
  const size = count * 4;
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, 0, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}
