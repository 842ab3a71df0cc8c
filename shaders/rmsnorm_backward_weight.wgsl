// RMSNorm backward, weight gradient: dw[c] += Σ_t dy[t, c] · x[t, c] · rstd[t].
// x: (T, C) f32, rstd: (T) f32, dy: (T, C) f32 -> dw: (C) f32 (accumulated)
// bindings: 0 x, 1 rstd, 2 dy, 3 dw, 4 params { T, C }
// Deterministic, no atomics: a workgroup owns wg_size / lanes adjacent columns; each
// column's rows are split over `lanes` threads (row t goes to lane t % lanes), and the
// lanes' partial sums are combined by a fixed tree in workgroup memory.
// Column tiles are workgroups on a 2-D grid: tile = wid.x + wid.y * groups.x.
// wg_size and lanes must be powers of two with lanes <= wg_size.
// Needs shaders/lib/workgroup_sum.wgsl prepended.
override wg_size: u32 = 256u;
override lanes: u32 = 16u;

struct Params { T: u32, C: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> rstd: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let cols = wg_size / lanes;
  let tile = wid.x + wid.y * groups.x;
  let col = li % cols;
  let lane = li / cols;
  let c = tile * cols + col;
  let C = params.C;

  var acc = 0.0;
  if (c < C) {
    for (var t = lane; t < params.T; t += lanes) {
      acc += dy[t * C + c] * x[t * C + c] * rstd[t];
    }
  }
  let sum = workgroup_sum(li, acc, lanes, cols);
  if (lane == 0u && c < C) { dw[c] += sum; }
}
