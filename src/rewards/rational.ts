// Exact rational numbers (BigInt numerator and denominator, lowest terms,
// positive denominator), so 0.1 + 0.2 questions and 3/4 = 0.75 compare exactly.

export type Rational = { n: bigint; d: bigint };

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** n/d in lowest terms; throws RangeError for d = 0 (callers check first). */
export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("a rational number with denominator 0");
  const g = gcd(n, d) || 1n;
  const sign = d < 0n ? -1n : 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

/** The exact value of a decimal literal like "-12.5", "0.75", ".5", "1e-3" or "2.5E4", or undefined. */
export function parseDecimal(text: string): Rational | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const [, sign = "", int = "", frac = "", exp = "0"] = m;
  if (int.length === 0 && frac.length === 0) return undefined;
  let n = BigInt(int + frac || "0");
  let d = 10n ** BigInt(frac.length);
  const e = Number(exp);
  if (Math.abs(e) > 400) return undefined;
  if (e >= 0) n *= 10n ** BigInt(e);
  else d *= 10n ** BigInt(-e);
  return rational(sign === "-" ? -n : n, d);
}

export function divide(a: Rational, b: Rational): Rational | undefined {
  return b.n === 0n ? undefined : rational(a.n * b.d, a.d * b.n);
}

export function negate(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}

export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

/** The nearest float. */
export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}
