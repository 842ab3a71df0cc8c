// Linear layer for few input rows (decode: M of a handful of tokens), dequantizing the frozen weight on
// the fly through the prepended weight lib:
//   y[m, n] = sum_k x[m, k] * W[row_start + n, k] (+ bias[row_start + n]) (+ y[m, n] when accumulate)
// x: (M, K) f32, W: (rows_total, K) f32/Q8_0/Q4_0, bias: (rows_total) f32 -> y: (M, N) f32. K % 4 == 0.
// bindings: 0 x (read), 1 w_data, 2 w_scales, 3 bias (read; any buffer when !has_bias), 4 y (read_write),
//           5 params { M, N, K, row_start }
// Each workgroup reads 256 / lanes rows of W once (lanes of a row stride along k with w_load4) and
// reduces lane partials in workgroup memory; M is covered MT = 4 rows of x at a time (W re-read per
// chunk, from cache). Memory-bound on W, where the 64 x 64 tiled kernel would waste most of its math.
// Workgroups index rows as wg.x + wg.y * num_workgroups.x so N may need more than 65535 workgroups.
// Needs a weight lib (w_load4) and shaders/lib/linear_output.wgsl (Params, store_y) prepended.
override has_bias: bool = false;
override accumulate: bool = false;

override lanes: u32 = 16u; // threads per row of W (a power of two, 4 <= lanes <= 256); 256 / lanes rows per workgroup
const MT: u32 = 4u; // rows of x per pass

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> partial: array<vec4<f32>, 256>; // [row * lanes + lane]: sums for the MT rows of x

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  _ = &bias; // keeps the binding in the auto layout when has_bias is off
  let r = lid / lanes;
  let lane = lid % lanes;
  let n = (wg.x + wg.y * groups.x) * (256u / lanes) + r;
  let row_ok = n < params.N;
  let K4 = params.K / 4u;
  for (var m0 = 0u; m0 < params.M; m0 += MT) {
    var acc = vec4<f32>(0.0);
    if (row_ok) {
      let wrow = params.row_start + n;
      let mcount = min(MT, params.M - m0);
      for (var k4 = lane; k4 < K4; k4 += lanes) {
        let wv = w_load4(wrow, k4 * 4u, params.K);
        acc.x += dot(wv, x[m0 * K4 + k4]);
        if (mcount > 1u) { acc.y += dot(wv, x[(m0 + 1u) * K4 + k4]); }
        if (mcount > 2u) { acc.z += dot(wv, x[(m0 + 2u) * K4 + k4]); }
        if (mcount > 3u) { acc.w += dot(wv, x[(m0 + 3u) * K4 + k4]); }
      }
    }
    partial[lid] = acc;
    workgroupBarrier();
    for (var s = lanes / 2u; s > 0u; s >>= 1u) {
      if (lane < s) { partial[lid] += partial[lid + s]; }
      workgroupBarrier();
    }
    if (row_ok && lane < MT && m0 + lane < params.M) {
      store_y(m0 + lane, n, partial[r * lanes][lane]);
    }
    workgroupBarrier();
  }
}
