// Attention backward, step 4: dv. One workgroup per (tile of key rows, kv head, sequence b) walks,
// for each query head h of its group in order, the query tiles from its own tile to the sequence
// end, recomputing P = exp(scale q·k - lse), and accumulates dv_j = Σ_{h, i >= j} P_ij dO_i.
// No atomics, fixed order: deterministic. Rows j >= lens[b] get 0. (Kept apart from dk so that
// each kernel binds at most 8 storage buffers.)
// q, dO: (B*Tmax, NH*hd), k: (B*Tmax, NKV*hd), lse: (B*Tmax, NH), lens: (B) u32
//   -> dv: (B*Tmax, NKV*hd)
// bindings: 0 q, 1 k, 2 dO, 3 lse, 4 lens, 5 dv, 6 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NKV, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD.
// Needs shaders/lib/attention_common.wgsl and attention_backward_rows.wgsl prepended.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;
const MAX_PER_THREAD: u32 = 8u;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> dO: array<f32>;
@group(0) @binding(3) var<storage, read> lse: array<f32>;
@group(0) @binding(4) var<storage, read> lens: array<u32>;
@group(0) @binding(5) var<storage, read_write> dv: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

var<workgroup> ks: array<f32, tile * hd>;  // this workgroup's keys
var<workgroup> qs: array<f32, tile * hd>;  // current query tile
var<workgroup> dos: array<f32, tile * hd>;
var<workgroup> ps: array<f32, tile * tile>; // P (query row, key col)
var<workgroup> row_lse: array<f32, tile>;

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let k0 = wid.x * tile;
  let kvh = wid.y;
  let seq = attn_seq(wid.z);
  let group = params.NH / params.NKV;
  let per_thread = tile * hd / wg_size;

  for (var e = lid; e < tile * hd; e += wg_size) {
    let j = k0 + e / hd;
    var kx = 0.0;
    if (j < seq.len) { kx = k[kv_at(seq, j, kvh, e % hd)]; }
    ks[e] = kx;
  }
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < per_thread; a++) { acc[a] = 0.0; }

  let qt_end = query_tile_end(seq, k0);
  for (var g = 0u; g < group; g++) {
    let h = kvh * group + g;
    for (var qt = wid.x; qt < qt_end; qt++) {
      let q0 = qt * tile;
      workgroupBarrier();
      load_q_do_tile(seq, q0, h, lid);
      load_lse_rows(seq, q0, h, lid);
      workgroupBarrier();
      for (var e = lid; e < tile * tile; e += wg_size) {
        let r = e / tile;
        let c = e % tile;
        var p = 0.0;
        if (attends(seq, q0 + r, k0 + c)) { p = attn_prob(r, c); }
        ps[e] = p;
      }
      workgroupBarrier();
      for (var a = 0u; a < per_thread; a++) {
        let e = lid + a * wg_size;
        let c = e / hd;
        let d = e % hd;
        var x = acc[a];
        for (var r = 0u; r < tile; r++) { x += ps[r * tile + c] * dos[r * hd + d]; }
        acc[a] = x;
      }
    }
  }

  for (var a = 0u; a < per_thread; a++) {
    let e = lid + a * wg_size;
    let j = k0 + e / hd;
    if (j < params.Tmax) {
      dv[kv_at(seq, j, kvh, e % hd)] = acc[a];
    }
  }
}
