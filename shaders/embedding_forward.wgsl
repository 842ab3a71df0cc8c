// Token embedding gather: x[t, :] = E[ids[t], :], dequantizing E on the fly.
// ids: (T) u32, E: (V, C) in the format of the prepended weight lib -> x: (T, C) f32. C % 4 == 0.
// bindings: 0 ids, 1 w_data, 2 w_scales, 3 x, 4 params { T, C, V }
// An id >= V writes zeros (callers validate ids; the kernel must not read out of bounds).
override wg_size: u32 = 64u;

struct Params { T: u32, C: u32, V: u32 }

@group(0) @binding(0) var<storage, read> ids: array<u32>;
@group(0) @binding(1) var<storage, read> w_data: array<u32>;
@group(0) @binding(2) var<storage, read> w_scales: array<u32>;
@group(0) @binding(3) var<storage, read_write> x: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.y;
  let c4 = gid.x;
  let C4 = params.C / 4u;
  if (t >= params.T || c4 >= C4) { return; }
  let id = ids[t];
  var v = vec4<f32>(0.0);
  if (id < params.V) { v = w_load4(id, c4 * 4u, params.C); }
  x[t * C4 + c4] = v;
}
