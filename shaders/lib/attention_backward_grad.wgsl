// Shared by attention_backward_dq, _dk and _dv (prepended by src/gpu/ops/attention.ts after
// attention_common.wgsl): the (tile, hd) gradient tile a workgroup accumulates in registers
// (thread lid holds elements e = lid + a·wg_size, a < grad_slots(): row e / hd, column e % hd),
// one step of its accumulation, and its store.
// Expects from the kernel: override wg_size, with tile*hd a multiple of it and
// tile*hd / wg_size <= MAX_PER_THREAD; and, since WGSL cannot pass functions, two functions that
// the code below calls by name:
//   fn grad_term(row: u32, t: u32, d: u32) -> f32 — the t-th term (t < tile) added to element
//     (row, d) of the tile in one step, read from the kernel's staged workgroup tiles;
//   fn store_grad(s: Seq, i: u32, head: u32, d: u32, x: f32) — stores x as element d of the
//     gradient of row i (of the sequence), head `head`.

const MAX_PER_THREAD: u32 = 8u;

// One thread's share of the gradient tile; a fresh `var grad: GradTile` is all zeros.
alias GradTile = array<f32, MAX_PER_THREAD>;

fn grad_slots() -> u32 {
  return tile * hd / wg_size;
}

// grad[row, d] += Σ_t grad_term(row, t, d), t = 0 .. tile-1 in order.
fn accumulate_grad_tile(grad: ptr<function, GradTile>, lid: u32) {
  for (var a = 0u; a < grad_slots(); a++) {
    let e = lid + a * wg_size;
    var x = (*grad)[a];
    for (var t = 0u; t < tile; t++) { x += grad_term(e / hd, t, e % hd); }
    (*grad)[a] = x;
  }
}

// Hands rows row0 .. row0+tile-1 of the tile, those below Tmax, to store_grad (padding rows
// included, so that they are written: their terms are all 0).
fn store_grad_tile(grad: ptr<function, GradTile>, s: Seq, row0: u32, head: u32, lid: u32) {
  for (var a = 0u; a < grad_slots(); a++) {
    let e = lid + a * wg_size;
    let i = row0 + e / hd;
    if (i < params.Tmax) { store_grad(s, i, head, e % hd, (*grad)[a]); }
  }
}
