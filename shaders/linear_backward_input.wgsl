// Input gradient of a linear layer on a frozen weight, dequantized on the fly by the prepended weight lib:
//   dx[m, k] = sum_n dy[m, n] * W[row_start + n, k] (+ dx[m, k] when accumulate)
// dy: (M, N) f32, W: (rows_total, K) f32/Q8_0/Q4_0 -> dx: (M, K) f32. K % 4 == 0 (f32) or K % 32 == 0 (quantized).
// bindings: 0 dy (read), 1 w_data, 2 w_scales, 3 dx (read_write), 4 params { M, N, K, row_start }
// Tiling: one workgroup of 16 x 16 threads computes a 64 (m) x 64 (k) block of dx, each thread rows
// ty * 4 .. + 3 and columns tx * 4 .. + 3 (one vec4 store a row). N advances 16 at a time: dy is
// staged as vec4 over 4 rows, W as vec4 along k through w_load4 (2 x 4 KiB).
override accumulate: bool = false;

const TILE: u32 = 64u;
const TN: u32 = 16u; // depth of one N step
const T4: u32 = 16u; // TILE / 4

struct Params { M: u32, N: u32, K: u32, row_start: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> dy_tile: array<vec4<f32>, 256>; // [n][m / 4]
var<workgroup> w_tile: array<vec4<f32>, 256>;  // [n][k / 4]

fn load_dy(m: u32, n: u32) -> f32 {
  if (m >= params.M || n >= params.N) { return 0.0; }
  return dy[m * params.N + n];
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let m0 = wg.y * TILE;
  let k0 = wg.x * TILE;
  let tx = lid % 16u;
  let ty = lid / 16u;
  let K4 = params.K / 4u;
  // Staging: dy as (n = lid % 16, rows m4 * 4 .. + 3 with m4 = lid / 16); W as (n = lid / 16, k4 = lid % 16).
  let d_n = lid % TN;
  let d_m = m0 + (lid / TN) * 4u;
  let w_n = lid / T4;
  let w_k4 = k0 / 4u + lid % T4;

  var acc: array<vec4<f32>, 4>; // acc[i]: row ty * 4 + i, columns tx * 4 .. + 3
  for (var n0 = 0u; n0 < params.N; n0 += TN) {
    let n = n0 + d_n;
    dy_tile[d_n * T4 + lid / TN] = vec4<f32>(load_dy(d_m, n), load_dy(d_m + 1u, n), load_dy(d_m + 2u, n), load_dy(d_m + 3u, n));
    var wv = vec4<f32>(0.0);
    if (n0 + w_n < params.N && w_k4 < K4) { wv = w_load4(params.row_start + n0 + w_n, w_k4 * 4u, params.K); }
    w_tile[w_n * T4 + lid % T4] = wv;
    workgroupBarrier();
    for (var j = 0u; j < TN; j++) {
      let a = dy_tile[j * T4 + ty];
      let b = w_tile[j * T4 + tx];
      acc[0] += a.x * b;
      acc[1] += a.y * b;
      acc[2] += a.z * b;
      acc[3] += a.w * b;
    }
    workgroupBarrier();
  }

  let k4 = k0 / 4u + tx;
  if (k4 >= K4) { return; }
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + ty * 4u + i;
    if (m >= params.M) { break; }
    let at = m * K4 + k4;
    var v = acc[i];
    if (accumulate) { v += dx[at]; }
    dx[at] = v;
  }
}
