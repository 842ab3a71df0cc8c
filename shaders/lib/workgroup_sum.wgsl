// Deterministic workgroup sum by a fixed tree in workgroup memory, shared by rmsnorm_forward,
// rmsnorm_backward, grad_norm_partial, grad_norm_finalize and column_reduce.wgsl (column_sum,
// rmsnorm_backward_weight) (prepended by src/gpu/ops/rmsnorm.ts, elementwise.ts and adamw.ts).
// Expects from the kernel: override wg_size (the workgroup size, a power of two).
// Defines: the scratch array sum_scratch (do not use it elsewhere) and workgroup_sum.

var<workgroup> sum_scratch: array<f32, wg_size>;

// Sums, for each of `stride` groups, the `count` values of threads li ≡ group (mod stride),
// i.e. threads group, group + stride, …, group + (count-1)·stride, each passing its own `value`:
// count = wg_size, stride = 1 sums the whole workgroup; count = lanes, stride = wg_size / lanes
// sums each column's lanes. Returns the sum of li's group (li % stride) to every thread.
// Pairs are added in the same order on every run. count and stride must be powers of two with
// count · stride == wg_size, the same in every thread; call from uniform control flow (barriers).
fn workgroup_sum(li: u32, value: f32, count: u32, stride: u32) -> f32 {
  sum_scratch[li] = value;
  workgroupBarrier();
  let slot = li / stride;
  for (var s = count / 2u; s > 0u; s >>= 1u) {
    if (slot < s) { sum_scratch[li] += sum_scratch[li + s * stride]; }
    workgroupBarrier();
  }
  return sum_scratch[li % stride];
}
