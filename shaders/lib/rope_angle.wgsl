// Shared by rope_forward.wgsl and rope_backward.wgsl (prepended by src/gpu/ops/rope.ts): the
// parameter block, the exactly range-reduced rotation angle, and which pair a thread rotates.
// Expects from the kernel: binding params: Params (uniform).
//
// Accuracy: the angle is reduced modulo one turn before cos/sin, and cos/sin come from short
// polynomials rather than the built-ins (SwiftShader's sin/cos are off by up to 2e-4, within
// what WGSL allows). The host passes f = inv_freq[d] / 2π (turns per position, from float64) as
// hi + lo, hi holding 16 significant bits. With pos = 256 ph + pl (ph, pl < 256), ph*hi and pl*hi
// are exact in f32, so their fractional parts are exact; pos*lo is tiny. What remains is a few
// roundings of numbers below 2: about 1e-7 turns (< 1e-6 rad) at any pos < 65536, where
// pos * inv_freq in f32 would be off by up to 2e-3 rad at pos 32768. The quarter-turn remainder
// |x| <= π/4 feeds Taylor polynomials of sin and cos (truncation error < 2e-9).

struct Params {
  n_pairs: u32,                // B*Tmax*heads*half
  Tmax: u32,
  heads: u32,
  half: u32,                   // D/2 <= 128
  freqs: array<vec4<f32>, 64>, // (hi, lo) of pair d at freqs[d/2][2*(d%2)], [2*(d%2)+1]
}

// (cos, sin) of the angle of pair d at position pos (< 65536); f = params.freqs[d / 2].
fn rope_cos_sin(f: vec4<f32>, d: u32, pos: u32) -> vec2<f32> {
  let c = (d % 2u) * 2u;
  let hi = f[c];
  let lo = f[c + 1u];
  let a = fract(f32(pos >> 8u) * hi * 256.0);
  let b = fract(f32(pos & 255u) * hi);
  let turns = fract(a + b + f32(pos) * lo);           // [0, 1]
  let quarter = round(turns * 4.0);                   // 0..4
  let x = (turns - quarter * 0.25) * 6.283185307179586; // [-π/4, π/4]
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362880.0)))));
  let co = 1.0 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0 + x2 * (-1.0 / 3628800.0)))));
  switch (u32(quarter) % 4u) {
    case 1u: { return vec2<f32>(-s, co); }
    case 2u: { return vec2<f32>(-co, -s); }
    case 3u: { return vec2<f32>(s, -co); }
    default: { return vec2<f32>(co, s); }
  }
}

// Pair idx (< n_pairs) of a (B*Tmax, heads*D) buffer: elements o and o + half, to rotate by the
// angle whose (cos, sin) is cs. Pair d of row r = b*Tmax + i, head h sits at position i.
struct RopePair { o: u32, cs: vec2<f32> }

fn rope_pair(idx: u32) -> RopePair {
  let half = params.half;
  let d = idx % half;
  let rh = idx / half; // row * heads + head
  let pos = (rh / params.heads) % params.Tmax;
  return RopePair(rh * 2u * half + d, rope_cos_sin(params.freqs[d / 2u], d, pos));
}
