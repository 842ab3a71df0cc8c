// SwiGLU forward: h = silu(gate) · up, silu(g) = g · sigmoid(g).
// gate: (N) f32, up: (N) f32 -> h: (N) f32
// bindings: 0 gate, 1 up, 2 h, 3 params { n }
// Needs shaders/lib/sigmoid.wgsl prepended.
override wg_size: u32 = 256u;

struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> gate: array<f32>;
@group(0) @binding(1) var<storage, read> up: array<f32>;
@group(0) @binding(2) var<storage, read_write> h: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so n may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  let g = gate[i];
  h[i] = g * sigmoid(g) * up[i];
}
