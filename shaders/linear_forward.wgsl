// Linear layer on a frozen weight, dequantized on the fly by the prepended weight lib:
//   y[m, n] = sum_k x[m, k] * W[row_start + n, k] (+ bias[row_start + n]) (+ y[m, n] when accumulate)
// x: (M, K) f32, W: (rows_total, K) f32/Q8_0/Q4_0, bias: (rows_total) f32 -> y: (M, N) f32, N = rows of the range.
// K % 4 == 0 (f32) or K % 32 == 0 (quantized).
// bindings: 0 x (read), 1 w_data, 2 w_scales, 3 bias (read; any buffer when !has_bias), 4 y (read_write),
//           5 params { M, N, K, row_start }
// Tiling: one workgroup of 16 x 16 threads computes a 64 (m) x 64 (n) block of y; each thread the
// 4 x 4 outputs (ty + 16 i, tx + 16 j). K advances 16 at a time: x and W tiles are staged as vec4
// along k (W through w_load4), rows padded to 5 vec4 against bank conflicts (2 x 5 KiB).
// Needs a weight lib (w_load4) and shaders/lib/linear_output.wgsl (Params, store_y) prepended.
override has_bias: bool = false;
override accumulate: bool = false;

const TILE: u32 = 64u;
const TK4: u32 = 4u;  // vec4 per tile row along k (16 values)
const PAD4: u32 = 5u; // padded row length in vec4

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> x_tile: array<vec4<f32>, 320>; // [m][k4], TILE x PAD4
var<workgroup> w_tile: array<vec4<f32>, 320>; // [n][k4]

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  _ = &bias; // keeps the binding in the auto layout when has_bias is off
  let m0 = wg.y * TILE;
  let n0 = wg.x * TILE;
  let tx = lid % 16u;
  let ty = lid / 16u;
  let K4 = params.K / 4u;
  // Staging: thread lid loads row lid / 4, vec4 column lid % 4 of both tiles.
  let s_row = lid / TK4;
  let s_k4 = lid % TK4;
  let xm = m0 + s_row;
  let wn = n0 + s_row;

  var acc: array<vec4<f32>, 4>; // acc[i][j]: row ty + 16 i, column tx + 16 j
  for (var k0 = 0u; k0 < K4; k0 += TK4) {
    let k4 = k0 + s_k4;
    var xv = vec4<f32>(0.0);
    if (xm < params.M && k4 < K4) { xv = x[xm * K4 + k4]; }
    x_tile[s_row * PAD4 + s_k4] = xv;
    var wv = vec4<f32>(0.0);
    if (wn < params.N && k4 < K4) { wv = w_load4(params.row_start + wn, k4 * 4u, params.K); }
    w_tile[s_row * PAD4 + s_k4] = wv;
    workgroupBarrier();
    for (var k = 0u; k < TK4; k++) {
      let a0 = x_tile[ty * PAD4 + k];
      let a1 = x_tile[(ty + 16u) * PAD4 + k];
      let a2 = x_tile[(ty + 32u) * PAD4 + k];
      let a3 = x_tile[(ty + 48u) * PAD4 + k];
      let b0 = w_tile[tx * PAD4 + k];
      let b1 = w_tile[(tx + 16u) * PAD4 + k];
      let b2 = w_tile[(tx + 32u) * PAD4 + k];
      let b3 = w_tile[(tx + 48u) * PAD4 + k];
      acc[0] += vec4<f32>(dot(a0, b0), dot(a0, b1), dot(a0, b2), dot(a0, b3));
      acc[1] += vec4<f32>(dot(a1, b0), dot(a1, b1), dot(a1, b2), dot(a1, b3));
      acc[2] += vec4<f32>(dot(a2, b0), dot(a2, b1), dot(a2, b2), dot(a2, b3));
      acc[3] += vec4<f32>(dot(a3, b0), dot(a3, b1), dot(a3, b2), dot(a3, b3));
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let m = m0 + ty + 16u * i;
    if (m >= params.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + tx + 16u * j;
      if (n >= params.N) { break; }
      store_y(m, n, acc[i][j]);
    }
  }
}
