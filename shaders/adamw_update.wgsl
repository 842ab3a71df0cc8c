// AdamW step with global-norm clipping (decoupled weight decay, as PyTorch's AdamW):
//   g' = g * min(1, maxNorm / (norm + 1e-6))          (no clipping when maxNorm <= 0)
//   m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g'^2
//   p -= lr * ((m / bias1) / (sqrt(v / bias2) + eps) + weightDecay * p)
// param, grad, m, v: (n) f32; norm: (1) f32 (from grad_norm_finalize); hyper: uniform written by writeAdamHyper.
// bias1 = 1 - b1^t and bias2 = 1 - b2^t are computed on the CPU in float64.
// bindings: 0 param (read_write), 1 grad (read), 2 m (read_write), 3 v (read_write), 4 norm (read),
//           5 hyper { lr, beta1, beta2, eps, weightDecay, maxNorm, bias1, bias2 }, 6 params { n: u32 }
override wg_size: u32 = 256u;

struct Hyper { lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32, maxNorm: f32, bias1: f32, bias2: f32 }
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> norm: array<f32>;
@group(0) @binding(5) var<uniform> hyper: Hyper;
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // 2-D grid so n may exceed 65535 workgroups of wg_size.
  let i = gid.x + gid.y * groups.x * wg_size;
  if (i >= params.n) { return; }
  var clip = 1.0;
  if (hyper.maxNorm > 0.0) { clip = min(1.0, hyper.maxNorm / (norm[0] + 1e-6)); }
  let g = grad[i] * clip;
  let mi = hyper.beta1 * m[i] + (1.0 - hyper.beta1) * g;
  let vi = hyper.beta2 * v[i] + (1.0 - hyper.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let p = param[i];
  let mhat = mi / hyper.bias1;
  let vhat = vi / hyper.bias2;
  param[i] = p - hyper.lr * (mhat / (sqrt(vhat) + hyper.eps) + hyper.weightDecay * p);
}
