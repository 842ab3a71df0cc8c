// y += alpha · x (gradient accumulation, scaled updates).
// x: (N) f32 -> y: (N) f32 (read and written)
// bindings: 0 x, 1 y, 2 params { n, alpha }
override wg_size: u32 = 256u;

struct Params { n: u32, alpha: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so n may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  y[i] += params.alpha * x[i];
}
