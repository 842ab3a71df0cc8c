// Linear layer without workgroup memory or barriers, for CPU adapters (SwiftShader, llvmpipe), where
// a barrier costs more than the loads it saves and caches already hold the operands:
//   y[m, n] = sum_k x[m, k] * W[row_start + n, k] (+ bias[row_start + n]) (+ y[m, n] when accumulate)
// x: (M, K) f32, W: (rows_total, K) f32/Q8_0/Q4_0, bias: (rows_total) f32 -> y: (M, N) f32. K % 4 == 0.
// bindings: 0 x (read), 1 w_data, 2 w_scales, 3 bias (read; any buffer when !has_bias), 4 y (read_write),
//           5 params { M, N, K, row_start }
// Each thread computes a 4 (m) x 4 (n) block straight from storage; a workgroup of 64 threads is
// 16 blocks along n by 4 along m, i.e. a 16 (m) x 64 (n) tile: grid (ceil(N / 64), ceil(M / 16)).
// Needs a weight lib (w_load4) and shaders/lib/linear_output.wgsl (Params, store_y) prepended.
override has_bias: bool = false;
override accumulate: bool = false;

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  _ = &bias; // keeps the binding in the auto layout when has_bias is off
  let n0 = wg.x * 64u + (lid % 16u) * 4u;
  let m0 = wg.y * 16u + (lid / 16u) * 4u;
  if (n0 >= params.N || m0 >= params.M) { return; }
  let K4 = params.K / 4u;
  // Rows past the end repeat the last valid one (their results are not stored).
  var mr: array<u32, 4>;
  var nr: array<u32, 4>;
  for (var i = 0u; i < 4u; i++) {
    mr[i] = min(m0 + i, params.M - 1u);
    nr[i] = params.row_start + min(n0 + i, params.N - 1u);
  }
  var acc: array<vec4<f32>, 4>; // acc[i][j]: y[m0 + i, n0 + j]
  for (var k4 = 0u; k4 < K4; k4++) {
    let b0 = w_load4(nr[0], k4 * 4u, params.K);
    let b1 = w_load4(nr[1], k4 * 4u, params.K);
    let b2 = w_load4(nr[2], k4 * 4u, params.K);
    let b3 = w_load4(nr[3], k4 * 4u, params.K);
    for (var i = 0u; i < 4u; i++) {
      let a = x[mr[i] * K4 + k4];
      acc[i] += vec4<f32>(dot(a, b0), dot(a, b1), dot(a, b2), dot(a, b3));
    }
  }
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + i;
    if (m >= params.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + j;
      if (n >= params.N) { break; }
      store_y(m, n, acc[i][j]);
    }
  }
}
