// Global gradient norm, step 2 of 2: norm = sqrt(sum of the per-buffer partial sums of squares).
// partial: (count) f32 -> norm: (1) f32
// bindings: 0 partial (read), 1 norm (read_write), 2 params { count: u32 }
// Needs shaders/lib/workgroup_sum.wgsl prepended (wg_size a power of two).
override wg_size: u32 = 256u;

struct Params { count: u32 }

@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> norm: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.x;
  var s = 0.0;
  for (var i = tid; i < params.count; i += wg_size) { s += partial[i]; }
  let total = workgroup_sum(tid, s, wg_size, 1u);
  if (tid == 0u) { norm[0] = sqrt(total); }
}
