// Elementwise add, the residual connection: y = a + b.
// a: (N) f32, b: (N) f32 -> y: (N) f32
// bindings: 0 a (read), 1 b (read), 2 y (write), 3 params { n: u32 }
override wg_size: u32 = 256u;

struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so N may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  y[i] = a[i] + b[i];
}
