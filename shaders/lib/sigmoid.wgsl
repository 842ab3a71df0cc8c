// The logistic sigmoid, shared by swiglu_forward and swiglu_backward (prepended by
// src/gpu/ops/swiglu.ts). Expects nothing from the kernel; defines sigmoid(g).

// sigmoid without overflow: exp() only ever sees a non-positive argument.
fn sigmoid(g: f32) -> f32 {
  let e = exp(-abs(g));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), g >= 0.0);
}
