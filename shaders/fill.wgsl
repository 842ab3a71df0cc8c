// y[i] = value (zeroes gradient buffers on the GPU).
// -> y: (N) f32
// bindings: 0 y, 1 params { n, value }
override wg_size: u32 = 256u;

struct Params { n: u32, value: f32 }

@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so n may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  y[i] = params.value;
}
