// Global gradient norm, step 1 of 2: the sum of squares of one gradient buffer,
// written into one slot of a partial-sums buffer (one dispatch per gradient buffer,
// one workgroup each, so the bindings per kernel stay fixed however many tensors there are).
// g: (n) f32 -> partial[slot] = sum_i g[i]^2
// bindings: 0 g (read), 1 partial (read_write), 2 params { n: u32, slot: u32 }
// Needs shaders/lib/workgroup_sum.wgsl prepended (wg_size a power of two).
override wg_size: u32 = 256u;

struct Params { n: u32, slot: u32 }

@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read_write> partial: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.x;
  var s = 0.0;
  for (var i = tid; i < params.n; i += wg_size) {
    let x = g[i];
    s += x * x;
  }
  let total = workgroup_sum(tid, s, wg_size, 1u);
  if (tid == 0u) { partial[params.slot] = total; }
}
