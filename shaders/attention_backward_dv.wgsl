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
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;
const MAX_PER_THREAD: u32 = 8u;

struct Params { Tmax: u32, NH: u32, NKV: u32, scale: f32 }

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
  let Tmax = params.Tmax;
  let k0 = wid.x * tile;
  let kvh = wid.y;
  let b = wid.z;
  let len = min(lens[b], Tmax);
  let group = params.NH / params.NKV;
  let qstride = params.NH * hd;
  let kstride = params.NKV * hd;
  let base = b * Tmax;
  let per_thread = tile * hd / wg_size;

  for (var e = lid; e < tile * hd; e += wg_size) {
    let j = k0 + e / hd;
    var kx = 0.0;
    if (j < len) { kx = k[(base + j) * kstride + kvh * hd + e % hd]; }
    ks[e] = kx;
  }
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < per_thread; a++) { acc[a] = 0.0; }

  var qt_end = 0u;
  if (k0 < len) { qt_end = (len + tile - 1u) / tile; }
  for (var g = 0u; g < group; g++) {
    let h = kvh * group + g;
    for (var qt = wid.x; qt < qt_end; qt++) {
      let q0 = qt * tile;
      workgroupBarrier();
      for (var e = lid; e < tile * hd; e += wg_size) {
        let i = q0 + e / hd;
        var qx = 0.0;
        var gx = 0.0;
        if (i < len) {
          let at = (base + i) * qstride + h * hd + e % hd;
          qx = q[at];
          gx = dO[at];
        }
        qs[e] = qx;
        dos[e] = gx;
      }
      if (lid < tile) {
        let i = q0 + lid;
        var m = 0.0;
        if (i < len) { m = lse[(base + i) * params.NH + h]; }
        row_lse[lid] = m;
      }
      workgroupBarrier();
      for (var e = lid; e < tile * tile; e += wg_size) {
        let r = e / tile;
        let c = e % tile;
        let i = q0 + r;
        var p = 0.0;
        if (i < len && k0 + c <= i) {
          var s = 0.0;
          for (var d = 0u; d < hd; d++) { s += qs[r * hd + d] * ks[c * hd + d]; }
          p = exp(s * params.scale - row_lse[r]);
        }
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
    if (j < Tmax) {
      dv[(base + j) * kstride + kvh * hd + e % hd] = acc[a];
    }
  }
}
