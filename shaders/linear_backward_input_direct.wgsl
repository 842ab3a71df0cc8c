// Input gradient of a linear layer on a frozen weight without workgroup memory or barriers, for CPU
// adapters (see src/gpu/kernel_style.ts); the weight lib dequantizes on the fly:
//   dx[m, k] = sum_n dy[m, n] * W[row_start + n, k] (+ dx[m, k] when accumulate)
// dy: (M, N) f32, W: (rows_total, K) f32/Q8_0/Q4_0 -> dx: (M, K) f32. K % 4 == 0 (f32) or K % 32 == 0 (quantized).
// bindings: 0 dy (read), 1 w_data, 2 w_scales, 3 dx (read_write), 4 params { M, N, K, row_start }
// Each thread computes a 4 (m) x 4 (k) block straight from storage; a workgroup of 64 threads is
// 16 blocks along k by 4 along m, i.e. a 16 (m) x 64 (k) tile: grid (ceil(K / 64), ceil(M / 16)).
override accumulate: bool = false;

struct Params { M: u32, N: u32, K: u32, row_start: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let k0 = wg.x * 64u + (lid % 16u) * 4u;
  let m0 = wg.y * 16u + (lid / 16u) * 4u;
  if (k0 >= params.K || m0 >= params.M) { return; }
  // Rows past the end repeat the last valid one (their results are not stored).
  var mr: array<u32, 4>;
  for (var i = 0u; i < 4u; i++) { mr[i] = min(m0 + i, params.M - 1u) * params.N; }
  var acc: array<vec4<f32>, 4>; // acc[i]: dx[m0 + i, k0 .. k0 + 3]
  for (var n = 0u; n < params.N; n++) {
    let wv = w_load4(params.row_start + n, k0, params.K);
    for (var i = 0u; i < 4u; i++) { acc[i] += dy[mr[i] + n] * wv; }
  }
  let K4 = params.K / 4u;
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + i;
    if (m >= params.M) { break; }
    let at = m * K4 + k0 / 4u;
    if (accumulate) { dx[at] += acc[i]; } else { dx[at] = acc[i]; }
  }
}
