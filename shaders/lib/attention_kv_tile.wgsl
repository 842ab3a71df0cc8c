// Stages a tile of keys and values into workgroup memory, for attention_forward,
// attention_backward_dq and _dk (prepended by src/gpu/ops/attention.ts after attention_common.wgsl).
// Expects from the kernel: override wg_size; bindings k, v: array<f32> (B*Tmax, NKV*hd).
// Declares the workgroup tiles ks and vs.

var<workgroup> ks: array<f32, tile * hd>; // key tile, row-major (tile, hd)
var<workgroup> vs: array<f32, tile * hd>; // value tile

// ks, vs <- rows k0 .. k0+tile-1 of kv head kvh; rows at or past the sequence length read as 0.
fn load_kv_tile(s: Seq, k0: u32, kvh: u32, lid: u32) {
  for (var e = lid; e < tile * hd; e += wg_size) {
    let j = k0 + e / hd;
    var kx = 0.0;
    var vx = 0.0;
    if (j < s.len) {
      let at = kv_at(s, j, kvh, e % hd);
      kx = k[at];
      vx = v[at];
    }
    ks[e] = kx;
    vs[e] = vx;
  }
}
