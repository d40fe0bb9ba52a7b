/**
 * Plain decimals (`-12.5`, `3.1428571428571428`, `1e-7`) parsed straight from a file's bytes, giving the same
 * double as `Number(text)` bit for bit, without making a string. Digits become an integer mantissa m (up to 19
 * significant digits) and a power of ten; then:
 * - m < 2^53 and |exponent| ≤ 22 (Clinger's fast path): m and 10^|exponent| are exact doubles, so the one
 *   multiplication or division is correctly rounded, hence equal to `Number(text)`.
 * - m ≥ 2^53 (16–19 digits, e.g. the 17 digits JavaScript prints for 1/7) and exponent in [-22, 0]: a
 *   candidate quotient is checked with an exact residual (see `correctlyRoundedQuotient`), corrected once if
 *   needed.
 * - anything else (more digits, larger exponents, a near-tie) goes to `Number` on the field's text.
 */

/** Powers of ten that are exact doubles (5^22 < 2^53; 10^23 is not exact). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Returned for bytes that are not a plain decimal (a parsed decimal is never NaN). */
export const NOT_A_DECIMAL = NaN;

/**
 * The double that the bytes [from, to) stand for when they are a plain decimal (`[-+]digits[.digits][e[-+]digits]`,
 * digits on at least one side of the point), else NaN.
 */
export function parseDecimal(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  let negative = false;
  if (i < to && (bytes[i] === 45 || bytes[i] === 43)) negative = bytes[i++] === 45;
  let high = 0; // the first 15 significant digits (< 10^15 < 2^53: exact)
  let low = 0; // the next ≤ 4 significant digits
  let lowDigits = 0;
  let significant = 0; // significant digits so far (leading zeros do not count)
  let scale = 0; // power of ten applied to high·10^lowDigits + low
  let tooLong = false; // more than 19 significant digits
  let d = 0;
  const intFrom = i;
  // The integer and fraction digits run the same loop, written out twice: a shared helper needs the mantissa as
  // module state, which made bench/data's 100k-row CSV 1.5× slower (0.33–0.37× arquero instead of 0.21–0.24×).
  while (i < to && (d = bytes[i]! - 48) >= 0 && d <= 9) {
    i++;
    if (d === 0 && significant === 0) continue;
    if (significant < 15) high = high * 10 + d;
    else if (significant < 19) (low = low * 10 + d), lowDigits++;
    else tooLong = true;
    significant++;
  }
  let digits = i - intFrom;
  if (i < to && bytes[i] === 46) {
    const fractionFrom = ++i;
    while (i < to && (d = bytes[i]! - 48) >= 0 && d <= 9) {
      i++;
      if (d === 0 && significant === 0) continue;
      if (significant < 15) high = high * 10 + d;
      else if (significant < 19) (low = low * 10 + d), lowDigits++;
      else tooLong = true;
      significant++;
    }
    digits += i - fractionFrom;
    scale = fractionFrom - i; // every fraction digit, leading zeros included, divides by ten
  }
  if (i < to && (bytes[i] === 101 || bytes[i] === 69) && digits > 0) {
    let j = i + 1;
    let expNegative = false;
    if (j < to && (bytes[j] === 45 || bytes[j] === 43)) expNegative = bytes[j++] === 45;
    let exponent = 0;
    const expFrom = j;
    while (j < to && (d = bytes[j]! - 48) >= 0 && d <= 9 && exponent < 10000) (exponent = exponent * 10 + d), j++;
    if (j > expFrom) {
      scale += expNegative ? -exponent : exponent;
      i = j;
    }
  }
  if (i !== to || digits === 0) return NOT_A_DECIMAL;

  let value = NaN;
  if (!tooLong && scale >= -22 && scale <= 22) {
    // high·10^lowDigits is exact when below 2^53, and so is adding low: `m` is then the exact mantissa; when the
    // exact mantissa is ≥ 2^53 the rounded sum cannot come out ≤ MAX_SAFE_INTEGER, so the test below is exact.
    const m = lowDigits === 0 ? high : high * POW10[lowDigits]! + low;
    if (m <= Number.MAX_SAFE_INTEGER) value = scale < 0 ? m / POW10[-scale]! : m * POW10[scale]!;
    else if (scale <= 0) value = correctlyRoundedQuotient(high, lowDigits, low, m, -scale);
  }
  if (Number.isNaN(value)) return Number(String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[])); // sign included
  return negative ? -value : value;
}

/** Dekker's exact product: a·b = product + productError with both doubles (no overflow/underflow here). */
let productError = 0;
function twoProduct(a: number, b: number): number {
  const product = a * b;
  const sa = 134217729 * a, ah = sa - (sa - a), al = a - ah; // split into 26-bit halves (2^27 + 1)
  const sb = 134217729 * b, bh = sb - (sb - b), bl = b - bh;
  productError = ah * bh - product + ah * bl + al * bh + al * bl;
  return product;
}

/** 1 / 10^k rounded: only scales residuals in `correctlyRoundedQuotient`, where an error of 2^-52 is harmless. */
const INV_POW10 = POW10.map((p) => 1 / p);

/** Residuals within this of a rounding boundary are left to `Number` (they are computed to within 2^-36). */
const TOLERANCE = 2 ** -20;

/**
 * The double nearest to m / 10^k, where m = high·10^lowDigits + low ≥ 2^53 exactly and k ≤ 22; `rounded` is m
 * rounded to a double. NaN when unsure (m / 10^k close to halfway between two doubles), for the caller to fall back.
 *
 * Why it is exact: for a candidate v, the residual r = m − v·10^k is computed almost exactly — high·10^lowDigits =
 * a + b and v·10^k = ph + pl exactly (Dekker); a − ph is exact (Sterbenz: both within a factor 2 of m); the small
 * rest b + low − pl (< 2^15) adds an error below 2^-36. So the exact quotient lies within (r ± TOLERANCE) / 10^k of
 * v. If v plus either end rounds back to v, the whole interval does (the set of offsets that round to v is an
 * interval; the ends' own rounding errors, ~2^-52 relative, are far smaller than TOLERANCE compared with |r| ≤
 * 2^12), so the quotient rounds to v, ties to even included. A first candidate that fails gets one Newton step,
 * v + r / 10^k, which lands on the nearest double unless the quotient is within ~2^-50 of a boundary.
 */
function correctlyRoundedQuotient(high: number, lowDigits: number, low: number, rounded: number, k: number): number {
  const p = POW10[k]!, inverse = INV_POW10[k]!;
  const a = twoProduct(high, POW10[lowDigits]!);
  const rest = productError + low;
  let v = rounded / p;
  for (let attempt = 0; attempt < 2; attempt++) {
    const ph = twoProduct(v, p);
    const r = a - ph + (rest - productError);
    if (v + (r - TOLERANCE) * inverse === v && v + (r + TOLERANCE) * inverse === v) return v;
    v += r * inverse;
  }
  return NaN;
}
