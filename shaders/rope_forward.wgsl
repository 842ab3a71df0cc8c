// Rotary position embedding, rotate-half convention (Qwen2 / HF `rotate_half`), in place.
// x: (B*Tmax, heads*D) f32, row r = b*Tmax + i at position pos = i -> x rotated. D even, half = D/2.
// For d < half: (x[d], x[d+half]) <- (x[d] cos - x[d+half] sin, x[d+half] cos + x[d] sin),
// angle = pos * inv_freq[d]. Needs shaders/lib/rope_angle.wgsl prepended (Params, rope_pair).
// bindings: 0 x (read_write), 1 params { n_pairs, Tmax, heads, half, freqs[64] }
override wg_size: u32 = 256u;

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let idx = gid.x + gid.y * groups.x * wg_size;
  if (idx >= params.n_pairs) { return; }
  let pair = rope_pair(idx);
  let c = pair.cs.x;
  let s = pair.cs.y;
  let o = pair.o;
  let half = params.half;
  let a = x[o];
  let b = x[o + half];
  x[o] = a * c - b * s;
  x[o + half] = b * c + a * s;
}
