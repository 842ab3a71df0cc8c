// Shared by attention_backward_dq and _dk (prepended by src/gpu/ops/attention.ts after
// attention_common.wgsl, attention_kv_tile.wgsl and attention_backward_rows.wgsl):
// dS = P ⊙ (dO·v - delta) of a (query tile, key tile) pair.
// Expects from the kernel: override wg_size; binding delta: array<f32> (B*Tmax, NH). Reads the
// tiles ks, vs of attention_kv_tile.wgsl.
// Declares the workgroup tiles ds and row_delta.

var<workgroup> ds: array<f32, tile * tile>; // dS (query row, key col)
var<workgroup> row_delta: array<f32, tile>; // delta of the staged query rows

// row_delta <- delta of rows q0 .. q0+tile-1, query head h (0 for padding rows).
fn load_delta_rows(s: Seq, q0: u32, h: u32, lid: u32) {
  if (lid < tile) {
    let i = q0 + lid;
    var dl = 0.0;
    if (i < s.len) { dl = delta[row_head_at(s, i, h)]; }
    row_delta[lid] = dl;
  }
}

// ds[r * tile + c] <- dS of query q0 + r and key k0 + c (0 where masked), from the staged
// qs, ks, dos, vs, row_lse and row_delta.
fn compute_ds(s: Seq, q0: u32, k0: u32, lid: u32) {
  for (var e = lid; e < tile * tile; e += wg_size) {
    let r = e / tile;
    let c = e % tile;
    var g = 0.0;
    if (attends(s, q0 + r, k0 + c)) {
      var dp = 0.0;
      for (var d = 0u; d < hd; d++) { dp += dos[r * hd + d] * vs[c * hd + d]; }
      g = attn_prob(r, c) * (dp - row_delta[r]);
    }
    ds[e] = g;
  }
}
