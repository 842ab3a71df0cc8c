// Backward of rotary position embedding, in place: the transpose rotation (by -angle).
// dx: (B*Tmax, heads*D) f32 holding dy on entry, row r = b*Tmax + i at position pos = i -> dx.
// For d < half: (g[d], g[d+half]) <- (g[d] cos + g[d+half] sin, g[d+half] cos - g[d] sin).
// Needs shaders/lib/rope_angle.wgsl prepended (Params, rope_pair).
// bindings: 0 dx (read_write), 1 params { n_pairs, Tmax, heads, half, freqs[64] }
override wg_size: u32 = 256u;

@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
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
  let a = dx[o];
  let b = dx[o + half];
  dx[o] = a * c + b * s;
  dx[o + half] = b * c - a * s;
}
