// Attention backward, step 2: dq. One workgroup per (tile of query rows, query head h, sequence b)
// walks the key tiles 0..its last query and recomputes P = exp(scale q·k - lse), then
// dS = P ⊙ (dO·v - delta) and dq = scale Σ_j dS_ij k_j. No atomics; rows i >= lens[b] get 0.
// q, dO: (B*Tmax, NH*hd), k, v: (B*Tmax, NKV*hd), lse, delta: (B*Tmax, NH), lens: (B) u32
//   -> dq: (B*Tmax, NH*hd)
// bindings: 0 q, 1 k, 2 v, 3 dO, 4 lse, 5 delta, 6 lens, 7 dq, 8 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NH, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD.
// Needs shaders/lib/attention_common.wgsl, attention_kv_tile.wgsl, attention_backward_rows.wgsl
// and attention_backward_ds.wgsl prepended.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;
const MAX_PER_THREAD: u32 = 8u;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> dO: array<f32>;
@group(0) @binding(4) var<storage, read> lse: array<f32>;
@group(0) @binding(5) var<storage, read> delta: array<f32>;
@group(0) @binding(6) var<storage, read> lens: array<u32>;
@group(0) @binding(7) var<storage, read_write> dq: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

var<workgroup> qs: array<f32, tile * hd>;
var<workgroup> dos: array<f32, tile * hd>;
var<workgroup> ks: array<f32, tile * hd>;
var<workgroup> vs: array<f32, tile * hd>;
var<workgroup> ds: array<f32, tile * tile>; // dS (query row, key col)
var<workgroup> row_lse: array<f32, tile>;
var<workgroup> row_delta: array<f32, tile>;

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q0 = wid.x * tile;
  let h = wid.y;
  let seq = attn_seq(wid.z);
  let kvh = h / (params.NH / params.NKV);
  let per_thread = tile * hd / wg_size;

  load_q_do_tile(seq, q0, h, lid);
  load_lse_rows(seq, q0, h, lid);
  load_delta_rows(seq, q0, h, lid);
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < per_thread; a++) { acc[a] = 0.0; }

  let ntiles = key_tile_count(seq, q0);
  for (var t = 0u; t < ntiles; t++) {
    let k0 = t * tile;
    workgroupBarrier();
    load_kv_tile(seq, k0, kvh, lid);
    workgroupBarrier();
    compute_ds(seq, q0, k0, lid);
    workgroupBarrier();
    for (var a = 0u; a < per_thread; a++) {
      let e = lid + a * wg_size;
      let r = e / hd;
      let d = e % hd;
      var x = acc[a];
      for (var c = 0u; c < tile; c++) { x += ds[r * tile + c] * ks[c * hd + d]; }
      acc[a] = x;
    }
  }

  for (var a = 0u; a < per_thread; a++) {
    let e = lid + a * wg_size;
    let i = q0 + e / hd;
    if (i < params.Tmax) {
      dq[q_at(seq, i, h, e % hd)] = acc[a] * params.scale;
    }
  }
}
