// RMSNorm forward (Qwen2): y = x / sqrt(mean(x²) + eps) · w, one workgroup per row.
// x: (T, C) f32, w: (C) f32 -> y: (T, C) f32, rstd: (T) f32 (1 / sqrt(mean(x²) + eps), saved for backward)
// bindings: 0 x, 1 w, 2 y, 3 rstd, 4 params { T, C, eps }
// Rows are workgroups on a 2-D grid: row = wid.x + wid.y * groups.x. wg_size must be a power of two.
// Needs shaders/lib/workgroup_sum.wgsl prepended.
override wg_size: u32 = 256u;

struct Params { T: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.T) { return; }
  let C = params.C;
  let base = row * C;

  var ss = 0.0;
  for (var c = li; c < C; c += wg_size) {
    let v = x[base + c];
    ss += v * v;
  }
  let r = 1.0 / sqrt(workgroup_sum(li, ss, wg_size, 1u) / f32(C) + params.eps);
  for (var c = li; c < C; c += wg_size) {
    y[base + c] = x[base + c] * r * w[c];
  }
  if (li == 0u) { rstd[row] = r; }
}
