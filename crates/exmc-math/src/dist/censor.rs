//! Censored observations over any [`Cdf`] distribution.
//!
//! * left-censored (`y ≤ c`): `log F(c)` — [`Cdf::lcdf`];
//! * right-censored (`y > c`): `log(1 − F(c))` — [`Cdf::lccdf`];
//! * interval-censored (`a < y ≤ b`): `log(F(b) − F(a))` —
//!   [`log_interval_prob`], computed as `log_diff_exp` of the two log CDFs,
//!   or of the two log CCDFs when `F(a) > ½` (so that an interval far in the
//!   upper tail does not cancel).
//!
//! # Partials of `log(eᴬ − eᴮ)`
//! With `r = e^{B − A}`: `∂ = (∂A − r ∂B)/(1 − r)`.

use super::{Cdf, DistError, MAX_PARAMS};
use exmc_core::Real;
use num_traits::{Float, One, Zero};

/// Left-censored term `log F(c)` (partials: `[∂c, ∂p…]`).
pub fn left_censored_lprob<D: Cdf, T: Real>(c: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
    D::lcdf(c, p, d)
}

/// Right-censored term `log(1 − F(c))` (partials: `[∂c, ∂p…]`).
pub fn right_censored_lprob<D: Cdf, T: Real>(c: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
    D::lccdf(c, p, d)
}

/// `log(F(b) − F(a))`, `a ≤ b` (either may be infinite). Partials:
/// `d[0] = ∂a`, `d[1] = ∂b`, `d[2 + k] = ∂p_k`. `a > b` or NaN bounds →
/// [`DistError`]; `a == b` → `-inf`. Computed in f64 whatever `T` (the
/// difference of two close CDFs would lose every digit in f32).
pub fn log_interval_prob<D: Cdf, T: Real>(
    a: T,
    b: T,
    p: &[T],
    d: &mut [T],
) -> Result<T, DistError> {
    let n = D::PARAMS.len();
    let mut p64 = [0.0; MAX_PARAMS];
    for k in 0..n {
        p64[k] = p[k].f64();
    }
    let mut d64 = [0.0; MAX_PARAMS + 2];
    let v = interval_f64::<D>(a.f64(), b.f64(), &p64[..n], &mut d64)?;
    for k in 0..n + 2 {
        d[k] = T::c(d64[k]);
    }
    Ok(T::c(v))
}

fn interval_f64<D: Cdf>(a: f64, b: f64, p: &[f64], d: &mut [f64]) -> Result<f64, DistError> {
    type T = f64;
    let n = D::PARAMS.len();
    d[..n + 2].iter_mut().for_each(|v| *v = T::zero());
    if a.is_nan() || b.is_nan() || a > b {
        return Err(DistError {
            dist: D::NAME,
            arg: "interval upper bound",
            must_be: "at least the lower bound",
            value: b.f64(),
        });
    }
    D::check_params(p)?;
    if a == b {
        return Ok(T::neg_infinity());
    }
    let mut da = [T::zero(); MAX_PARAMS + 1];
    let mut db = [T::zero(); MAX_PARAMS + 1];
    if a == T::neg_infinity() {
        if b == T::infinity() {
            return Ok(T::zero());
        }
        let v = D::lcdf(b, p, &mut db)?;
        d[1] = db[0];
        d[2..n + 2].copy_from_slice(&db[1..n + 1]);
        return Ok(v);
    }
    if b == T::infinity() {
        let v = D::lccdf(a, p, &mut da)?;
        d[0] = da[0];
        d[2..n + 2].copy_from_slice(&da[1..n + 1]);
        return Ok(v);
    }
    let la = D::lcdf(a, p, &mut da)?;
    // (A, B, ∂A, ∂B) with value = log(e^A − e^B); sign of the x-partials
    let (big, small, upper) = if la > T::c(-std::f64::consts::LN_2) {
        let ua = D::lccdf(a, p, &mut da)?;
        let ub = D::lccdf(b, p, &mut db)?;
        (ua, ub, true)
    } else {
        let fb = D::lcdf(b, p, &mut db)?;
        // swap so that da holds ∂A (= ∂ log F(b)) and db holds ∂B (= ∂ log F(a))
        std::mem::swap(&mut da, &mut db);
        (fb, la, false)
    };
    if !(big > small) {
        return Ok(T::neg_infinity());
    }
    let r = (small - big).exp();
    let wa = (T::one() - r).recip();
    let wb = -r * wa;
    let v = big + (-r).ln_1p();
    // da/db are partials of A/B; A is at a (upper) or b (lower), B the other.
    if upper {
        d[0] = wa * da[0];
        d[1] = wb * db[0];
    } else {
        d[1] = wa * da[0];
        d[0] = wb * db[0];
    }
    for k in 0..n {
        d[2 + k] = wa * da[1 + k] + wb * db[1 + k];
    }
    Ok(v)
}
