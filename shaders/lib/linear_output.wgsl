// The output step shared by linear_forward and linear_forward_small_m (prepended by
// src/gpu/ops/linear.ts, after the weight lib): the parameter block, and the store of one
// element of y with the optional bias and accumulation.
// Expects from the kernel: overrides has_bias, accumulate: bool; bindings
//   bias: array<f32> (rows_total; any buffer when !has_bias), y: array<f32> (M, N) read_write,
//   params: Params (uniform).

struct Params { M: u32, N: u32, K: u32, row_start: u32 }

// y[m, n] = sum (+ bias[row_start + n]) (+ y[m, n] when accumulate).
fn store_y(m: u32, n: u32, sum: f32) {
  var v = sum;
  if (has_bias) { v += bias[params.row_start + n]; }
  let at = m * params.N + n;
  if (accumulate) { v += y[at]; }
  y[at] = v;
}
