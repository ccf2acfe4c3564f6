//! Branch-free `exp` and `log1p` on restricted ranges, accurate to about
//! 1e-15 relative, written so that loops over them vectorise (the compiler
//! cannot vectorise calls to the C library's `exp` and `log1p`). Used by the
//! vectorised likelihood kernels of the compiler.

use crate::simd::madd;

/// `ln 2` split as fdlibm's: `LN2_HI` ends in 21 zero bits (so `k·LN2_HI`
/// is exact for the `|k| ≤ 1024` here), `LN2_LO = ln 2 − LN2_HI`.
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// `exp(x)` for `x ≤ 0`, branch-free: `x = k ln 2 + r`, `|r| ≤ ln 2 / 2`,
/// degree-12 Taylor polynomial of `exp(r)` (truncation < 2e-16), scaled by
/// `2^k` through the exponent bits (Cody–Waite split of ln 2, as fdlibm).
/// Clamped at −700 (returns ≈ 1e-304 below).
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    exp_nonpositive_with::<false>(x)
}

/// [`exp_nonpositive`] with its Horner steps fused when `FMA` (see [`madd`]).
#[inline(always)]
pub(crate) fn exp_nonpositive_with<const FMA: bool>(x: f64) -> f64 {
    // A select, not `f64::max`: one instruction in a vector loop (NaN → −700).
    let x = if x > -700.0 { x } else { -700.0 };
    exp_reduced::<FMA>(x)
}

/// `exp(x)` for `|x| ≤ 708`, branch-free, as [`exp_nonpositive`]; `x` is
/// clamped to `[−708, 708]` (so `exp(±∞)` is `exp(±708)`: callers that can
/// meet larger `|x|` must check), NaN gives NaN.
#[inline(always)]
pub fn exp_clamped(x: f64) -> f64 {
    exp_clamped_with::<false>(x)
}

/// [`exp_clamped`] with its Horner steps fused when `FMA` (see [`madd`]).
#[inline(always)]
pub(crate) fn exp_clamped_with<const FMA: bool>(x: f64) -> f64 {
    // Selects; NaN fails both comparisons and passes through to the end.
    let c = if x < -708.0 { -708.0 } else { x };
    let c = if c > 708.0 { 708.0 } else { c };
    // The exponent-bit scaling turns NaN into garbage: put it back.
    let nan = c.is_nan();
    let e = exp_reduced::<FMA>(if nan { 0.0 } else { c });
    if nan {
        c
    } else {
        e
    }
}

/// The body of the `exp`s above for `−708 ≤ x ≤ 708` (where `2^k` with
/// `|k| ≤ 1021` and `exp(r) ∈ [0.7, 1.42]` stay normal when combined).
#[inline(always)]
fn exp_reduced<const FMA: bool>(x: f64) -> f64 {
    const MAGIC: f64 = 6_755_399_441_055_744.0; // 1.5 · 2^52: adding it rounds to an integer
    let t = madd::<f64, FMA>(x, std::f64::consts::LOG2_E, MAGIC);
    let k = t - MAGIC;
    let r = madd::<f64, FMA>(-k, LN2_LO, madd::<f64, FMA>(-k, LN2_HI, x));
    let mut p = 1.0 / 479_001_600.0; // 1/12!
    let inv_fact = [
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ];
    for c in inv_fact {
        p = madd::<f64, FMA>(p, r, c);
    }
    // k sits in the low bits of t; add it to p's exponent field.
    let kbits = t.to_bits().wrapping_sub(MAGIC.to_bits());
    f64::from_bits(p.to_bits().wrapping_add(kbits << 52))
}

/// `log(1 + t)` for `t ≥ 0` of any size (`+∞` gives `+∞`, NaN gives NaN),
/// branch-free: `u = 1 + t = 2^k m` with `m ∈ [1/√2, √2)` taken from the
/// exponent and mantissa bits (as fdlibm's `log1p`), `log m = 2 atanh(s)`,
/// `s = (m − 1)/(m + 1)`, `|s| ≤ 0.172`, series to `s^19`, plus the rounding
/// correction `(t − (u − 1))/u` of forming `u`. About 1e-16 relative.
#[inline(always)]
pub fn log1p_nonneg(t: f64) -> f64 {
    log1p_nonneg_with::<false>(t)
}

/// [`log1p_nonneg`] with its Horner steps fused when `FMA` (see [`madd`]).
#[inline(always)]
pub(crate) fn log1p_nonneg_with<const FMA: bool>(t: f64) -> f64 {
    let u = 1.0 + t;
    log1p_nonneg_given::<FMA>(t, u, 1.0 / u)
}

/// [`log1p_nonneg_with`] given `u = 1 + t` (rounded) and an approximation
/// of `1/u` (it only scales the rounding correction, so a few ulps do not
/// matter), for callers that have `1/u` at hand (one division saved).
#[inline(always)]
pub(crate) fn log1p_nonneg_given<const FMA: bool>(t: f64, u: f64, inv_u: f64) -> f64 {
    const HALF_SQRT2_BITS: u64 = 0x3fe6_a09e_667f_3bcd; // bits of 1/√2
    const MANT: u64 = (1u64 << 52) - 1;
    // Shift the mantissa so that m ≥ √2 carries into the exponent.
    let adj = u.to_bits().wrapping_add(1.0f64.to_bits() - HALF_SQRT2_BITS);
    // k = (biased exponent) − 1023 as a float without an integer conversion
    // (none exists for 64-bit lanes in AVX2): 2^52 + e as bits, minus 2^52.
    const TWO52_BITS: u64 = 0x4330_0000_0000_0000;
    let k = f64::from_bits(TWO52_BITS | (adj >> 52)) - (4_503_599_627_370_496.0 + 1023.0);
    let m = f64::from_bits((adj & MANT) + HALF_SQRT2_BITS);
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    let mut poly = 1.0 / 19.0;
    for c in [1.0 / 17.0, 1.0 / 15.0, 1.0 / 13.0, 1.0 / 11.0, 1.0 / 9.0, 1.0 / 7.0, 1.0 / 5.0, 1.0 / 3.0, 1.0] {
        poly = madd::<f64, FMA>(poly, z, c);
    }
    let corr = (t - (u - 1.0)) * inv_u;
    let v = madd::<f64, FMA>(k, LN2_HI, madd::<f64, FMA>(2.0 * s, poly, madd::<f64, FMA>(k, LN2_LO, corr)));
    // u = +∞ (t = +∞) would read as 2^1024 · m; NaN already propagates (corr).
    if t == f64::INFINITY {
        t
    } else {
        v
    }
}

/// `log(1 + e)` for `0 ≤ e ≤ 1`, branch-free: `u = 1 + e = 2^k m` with
/// `m ∈ (1/√2, √2]`, `log m = 2 atanh(s)`, `s = (m − 1)/(m + 1)`, `|s| ≤ 0.172`,
/// series to `s^19` (truncation < 1e-17), plus the rounding correction
/// `(e − (u − 1))/u` of forming `u`.
#[inline(always)]
pub fn log1p_unit(e: f64) -> f64 {
    log1p_unit_with::<false>(e)
}

/// [`log1p_unit`] with its Horner steps fused when `FMA` (see [`madd`]).
#[inline(always)]
pub(crate) fn log1p_unit_with<const FMA: bool>(e: f64) -> f64 {
    let u = 1.0 + e;
    log1p_unit_given::<FMA>(e, u, 1.0 / u)
}

/// [`log1p_unit_with`] given `u = 1 + e` (rounded) and `inv = 1/u`, for
/// callers that need `1/(1 + e)` themselves (one division saved).
#[inline(always)]
pub(crate) fn log1p_unit_given<const FMA: bool>(e: f64, u: f64, inv: f64) -> f64 {
    let corr = (e - (u - 1.0)) * inv;
    let big = u > std::f64::consts::SQRT_2;
    let k = if big { 1.0 } else { 0.0 };
    let m = if big { 0.5 * u } else { u };
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    let mut poly = 1.0 / 19.0;
    for c in [1.0 / 17.0, 1.0 / 15.0, 1.0 / 13.0, 1.0 / 11.0, 1.0 / 9.0, 1.0 / 7.0, 1.0 / 5.0, 1.0 / 3.0, 1.0] {
        poly = madd::<f64, FMA>(poly, z, c);
    }
    madd::<f64, FMA>(2.0 * s, poly, k * std::f64::consts::LN_2) + corr
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error with a floor (std itself is off by ~1 ulp).
    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / b.abs().max(1e-300)
        }
    }

    #[test]
    fn exp_clamped_matches_std_over_both_signs() {
        let mut worst = 0.0f64;
        for i in 0..=200_000 {
            let x = -708.0 + 1416.0 * i as f64 / 200_000.0;
            worst = worst.max(rel(exp_clamped(x), x.exp()));
            worst = worst.max(rel(exp_clamped_with::<true>(x), x.exp()));
        }
        for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-16, -1e-16, 0.5, -0.5, 1.0, -1.0, 700.0, -700.0, 708.0, -708.0] {
            worst = worst.max(rel(exp_clamped(x), x.exp()));
        }
        assert!(worst <= 1e-15, "worst relative error {worst:e}");
        assert_eq!(exp_clamped(0.0), 1.0);
        for (x, clamp) in [(1e300, 708.0f64), (f64::INFINITY, 708.0), (-1e300, -708.0), (f64::NEG_INFINITY, -708.0)] {
            assert!(rel(exp_clamped(x), clamp.exp()) <= 1e-15, "exp({x}) is not clamped");
        }
        assert!(exp_clamped(f64::NAN).is_nan() && exp_clamped_with::<true>(f64::NAN).is_nan());
    }

    #[test]
    fn log1p_nonneg_matches_std_from_tiny_to_huge() {
        let mut worst = 0.0f64;
        let mut check = |t: f64| {
            worst = worst.max(rel(log1p_nonneg(t), t.ln_1p()));
            worst = worst.max(rel(log1p_nonneg_with::<true>(t), t.ln_1p()));
        };
        // Log-spaced over the whole positive range, and linear near 0 and 1.
        for i in 0..=200_000 {
            check(10f64.powf(-320.0 + 628.0 * i as f64 / 200_000.0));
            check(4.0 * i as f64 / 200_000.0);
        }
        for t in [0.0, 5e-324, f64::MIN_POSITIVE, 1e-300, 1e-20, 1e-16, 2f64.powi(-53), 0.414_213_562_373_095_1, 1.0, 2.0, 1e16, 9.007_199_254_740_993e15, 1e300, f64::MAX] {
            check(t);
        }
        assert!(worst <= 1e-15, "worst relative error {worst:e}");
        assert_eq!(log1p_nonneg(0.0), 0.0);
        assert_eq!(log1p_nonneg(1e-300), 1e-300);
        assert_eq!(log1p_nonneg(f64::INFINITY), f64::INFINITY);
        assert!(log1p_nonneg(f64::NAN).is_nan() && log1p_nonneg_with::<true>(f64::NAN).is_nan());
    }

    #[test]
    fn match_std_to_1e15() {
        for i in 0..=20_000 {
            let x = -40.0 * i as f64 / 20_000.0;
            let (a, b) = (exp_nonpositive(x), x.exp());
            assert!((a - b).abs() <= 1e-15 * b, "exp({x}): {a} vs {b}");
            let e = i as f64 / 20_000.0;
            let (a, b) = (log1p_unit(e), e.ln_1p());
            assert!((a - b).abs() <= 1e-15 * b.max(1e-300), "log1p({e}): {a} vs {b}");
        }
        assert!(exp_nonpositive(-800.0) < 1e-300 && exp_nonpositive(-800.0) >= 0.0);
        assert_eq!(log1p_unit(1e-20), 1e-20);
    }
}
