// RMSNorm backward, weight gradient: dw[c] += Σ_t dy[t, c] · x[t, c] · rstd[t].
// x: (T, C) f32, rstd: (T) f32, dy: (T, C) f32 -> dw: (C) f32 (accumulated)
// bindings: 0 x, 1 rstd, 2 dy, 3 dw, 4 params { T, C }
// Deterministic, no atomics. grid: ceil(C / (wg_size / lanes)) workgroups, on a 2-D grid if need be.
// Needs shaders/lib/workgroup_sum.wgsl and column_reduce.wgsl (lanes, the reduction) prepended.
override wg_size: u32 = 256u;

struct Params { T: u32, C: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> rstd: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

fn column_term(t: u32, c: u32) -> f32 {
  let at = t * params.C + c;
  return dy[at] * x[at] * rstd[t];
}

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let r = column_reduce(wid, groups, li, params.T, params.C);
  if (r.owner) { dw[r.col] += r.sum; }
}
