// Shared by the attention backward kernels that recompute probabilities (attention_backward_dq,
// _dk, _dv; prepended by src/gpu/ops/attention.ts after attention_common.wgsl): the staged query
// tile with its output gradient and saved log-sum-exp, and P = exp(scale q·k - lse).
// Expects from the kernel: override wg_size; bindings q, dO: array<f32> (B*Tmax, NH*hd),
// lse: array<f32> (B*Tmax, NH); workgroup tile ks: array<f32, tile * hd> (for attn_prob; dq and
// dk get it from attention_kv_tile.wgsl).
// Declares the workgroup tiles qs, dos and row_lse.

var<workgroup> qs: array<f32, tile * hd>;  // query tile, row-major (tile, hd)
var<workgroup> dos: array<f32, tile * hd>; // its output gradient
var<workgroup> row_lse: array<f32, tile>;  // its log-sum-exp

// qs, dos, row_lse <- rows q0 .. q0+tile-1 of query head h of q, dO and lse; padding rows read as 0.
fn load_query_tile(s: Seq, q0: u32, h: u32, lid: u32) {
  for (var e = lid; e < tile * hd; e += wg_size) {
    let i = q0 + e / hd;
    var qx = 0.0;
    var gx = 0.0;
    if (i < s.len) {
      let at = q_at(s, i, h, e % hd);
      qx = q[at];
      gx = dO[at];
    }
    qs[e] = qx;
    dos[e] = gx;
  }
  if (lid < tile) {
    let i = q0 + lid;
    var m = 0.0;
    if (i < s.len) { m = lse[row_head_at(s, i, h)]; }
    row_lse[lid] = m;
  }
}

// P of staged query row r and key row c: exp(scale q·k - lse), as in the forward.
fn attn_prob(r: u32, c: u32) -> f32 {
  return exp(qk_dot(r, c) * params.scale - row_lse[r]);
}
