// Rotary position embedding at explicit positions (generation: rows of several sequences, each at
// its own position), rotate-half convention, in place.
// x: (M, heads*D) f32, rowpos: (M, 2) u32 (slot, position) -> x with row r rotated at rowpos[r].y.
// For d < half: (x[d], x[d+half]) <- (x[d] cos - x[d+half] sin, x[d+half] cos + x[d] sin),
// angle = pos * inv_freq[d]. Needs shaders/lib/rope_angle.wgsl prepended (Params, rope_cos_sin);
// Params.Tmax is unused here.
// bindings: 0 x (read_write), 1 rowpos, 2 params { n_pairs, Tmax, heads, half, freqs[64] }
override wg_size: u32 = 256u;

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read> rowpos: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let idx = gid.x + gid.y * groups.x * wg_size;
  if (idx >= params.n_pairs) { return; }
  let half = params.half;
  let d = idx % half;
  let rh = idx / half; // row * heads + head
  let row = rh / params.heads;
  let cs = rope_cos_sin(params.freqs[d / 2u], d, rowpos[2u * row + 1u]);
  let o = rh * 2u * half + d;
  let a = x[o];
  let b = x[o + half];
  x[o] = a * cs.x - b * cs.y;
  x[o + half] = b * cs.x + a * cs.y;
}
