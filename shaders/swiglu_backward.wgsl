// SwiGLU backward: with s = sigmoid(gate),
//   dgate = dh · up · s · (1 + gate · (1 - s)),   dup = dh · gate · s
// gate: (N) f32, up: (N) f32, dh: (N) f32 -> dgate: (N) f32, dup: (N) f32 (both overwritten)
// bindings: 0 gate, 1 up, 2 dh, 3 dgate, 4 dup, 5 params { n }
// Needs shaders/lib/sigmoid.wgsl prepended.
override wg_size: u32 = 256u;

struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> gate: array<f32>;
@group(0) @binding(1) var<storage, read> up: array<f32>;
@group(0) @binding(2) var<storage, read> dh: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgate: array<f32>;
@group(0) @binding(4) var<storage, read_write> dup: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so n may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  let g = gate[i];
  let s = sigmoid(g);
  let d = dh[i];
  dgate[i] = d * up[i] * s * (1.0 + g * (1.0 - s));
  dup[i] = d * g * s;
}
