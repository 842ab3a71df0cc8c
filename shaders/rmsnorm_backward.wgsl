// RMSNorm backward, input gradient, one workgroup per row. With r = rstd[t] and
// dot = Σ_i dy[t, i] · w[i] · x[t, i]:
//   dx[t, j] (+)= r · (dy[t, j] · w[j] - x[t, j] · r² · dot / C)
// x: (T, C) f32, w: (C) f32, rstd: (T) f32, dy: (T, C) f32 -> dx: (T, C) f32
// bindings: 0 x, 1 w, 2 rstd, 3 dy, 4 dx, 5 params { T, C, accumulate }
// accumulate != 0 adds to dx (the residual stream gradient); 0 overwrites it.
// Rows are workgroups on a 2-D grid: row = wid.x + wid.y * groups.x. wg_size must be a power of two.
// Needs shaders/lib/workgroup_sum.wgsl prepended.
override wg_size: u32 = 256u;

struct Params { T: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> rstd: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

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

  var acc = 0.0;
  for (var c = li; c < C; c += wg_size) {
    acc += dy[base + c] * w[c] * x[base + c];
  }
  let dot = workgroup_sum(li, acc, wg_size, 1u);

  let r = rstd[row];
  let k = r * r * dot / f32(C);
  for (var c = li; c < C; c += wg_size) {
    let i = base + c;
    let g = r * (dy[i] * w[c] - x[i] * k);
    if (params.accumulate != 0u) {
      dx[i] += g;
    } else {
      dx[i] = g;
    }
  }
}
