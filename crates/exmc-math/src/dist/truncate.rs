//! Truncated distributions `D(p) T[L, U]` over any [`Cdf`] distribution.
//!
//! # Formula
//! `log p(x | L ≤ x ≤ U) = log p(x) − log(F(U) − F(L))` for `L ≤ x ≤ U`,
//! `-inf` outside. The normaliser is `log(1 − F(L))` (lower bound only, via
//! [`Cdf::lccdf`]), `log F(U)` (upper only) or [`log_interval_prob`] (both).
//! Truncated CDF / CCDF: `log(F(x) − F(L)) − norm`, `log(F(U) − F(x)) − norm`.
//!
//! Partial layout for all three: `d[0] = ∂x`, `d[1 + k] = ∂p_k`,
//! `d[1 + n] = ∂L`, `d[2 + n] = ∂U` (`n` = number of parameters; a missing
//! bound's partial is 0). `d` must hold `n + 3` values.

use super::censor::log_interval_prob;
use super::{Cdf, DistError, MAX_PARAMS};
use exmc_core::Real;

/// `log(F(U) − F(L))` with partials `[∂L, ∂U, ∂p…]` (missing bound: ±inf).
fn log_norm<D: Cdf, T: Real>(
    lower: Option<T>,
    upper: Option<T>,
    p: &[T],
    dn: &mut [T],
) -> Result<T, DistError> {
    let a = lower.unwrap_or(T::neg_infinity());
    let b = upper.unwrap_or(T::infinity());
    log_interval_prob::<D, T>(a, b, p, dn)
}

fn check_bounds<D: Cdf, T: Real>(lower: Option<T>, upper: Option<T>) -> Result<(), DistError> {
    if let Some(l) = lower {
        if l.is_nan() {
            return Err(DistError {
                dist: D::NAME,
                arg: "truncation lower bound",
                must_be: "not NaN",
                value: f64::NAN,
            });
        }
    }
    if let Some(u) = upper {
        if u.is_nan() {
            return Err(DistError {
                dist: D::NAME,
                arg: "truncation upper bound",
                must_be: "not NaN",
                value: f64::NAN,
            });
        }
        if let Some(l) = lower {
            if !(u > l) {
                return Err(DistError {
                    dist: D::NAME,
                    arg: "truncation upper bound",
                    must_be: "greater than the lower bound",
                    value: u.f64(),
                });
            }
        }
    }
    Ok(())
}

fn outside<T: Real>(x: T, lower: Option<T>, upper: Option<T>) -> (bool, bool) {
    (lower.is_some_and(|l| x < l), upper.is_some_and(|u| x > u))
}

/// Truncated log density (see the module doc for the partial layout).
pub fn truncated_lpdf<D: Cdf, T: Real>(
    x: T,
    p: &[T],
    lower: Option<T>,
    upper: Option<T>,
    d: &mut [T],
) -> Result<T, DistError> {
    let n = D::PARAMS.len();
    check_bounds::<D, T>(lower, upper)?;
    d[..n + 3].iter_mut().for_each(|v| *v = T::zero());
    let lp = D::lpdf(x, p, &mut d[..n + 1])?;
    let (below, above) = outside(x, lower, upper);
    if below || above || lp == T::neg_infinity() {
        d[..n + 3].iter_mut().for_each(|v| *v = T::zero());
        return Ok(T::neg_infinity());
    }
    let mut dn = [T::zero(); MAX_PARAMS + 2];
    let norm = log_norm::<D, T>(lower, upper, p, &mut dn)?;
    if norm == T::neg_infinity() {
        d[..n + 3].iter_mut().for_each(|v| *v = T::zero());
        return Ok(T::neg_infinity());
    }
    for k in 0..n {
        d[1 + k] -= dn[2 + k];
    }
    d[1 + n] = -dn[0];
    d[2 + n] = -dn[1];
    Ok(lp - norm)
}

fn truncated_tail<D: Cdf, T: Real>(
    x: T,
    p: &[T],
    lower: Option<T>,
    upper: Option<T>,
    d: &mut [T],
    upper_tail: bool,
) -> Result<T, DistError> {
    let n = D::PARAMS.len();
    check_bounds::<D, T>(lower, upper)?;
    super::check_not_nan(D::NAME, "x", x)?;
    d[..n + 3].iter_mut().for_each(|v| *v = T::zero());
    let (below, above) = outside(x, lower, upper);
    if below {
        return Ok(if upper_tail {
            T::zero()
        } else {
            T::neg_infinity()
        });
    }
    if above {
        return Ok(if upper_tail {
            T::neg_infinity()
        } else {
            T::zero()
        });
    }
    let mut dn = [T::zero(); MAX_PARAMS + 2];
    let norm = log_norm::<D, T>(lower, upper, p, &mut dn)?;
    let mut dv = [T::zero(); MAX_PARAMS + 2];
    // numerator: log(F(x) − F(L)) or log(F(U) − F(x)), partials [∂a, ∂b, ∂p]
    let v = if upper_tail {
        log_interval_prob::<D, T>(x, upper.unwrap_or(T::infinity()), p, &mut dv)?
    } else {
        log_interval_prob::<D, T>(lower.unwrap_or(T::neg_infinity()), x, p, &mut dv)?
    };
    if v == T::neg_infinity() || norm == T::neg_infinity() {
        return Ok(T::neg_infinity());
    }
    for k in 0..n {
        d[1 + k] = dv[2 + k] - dn[2 + k];
    }
    if upper_tail {
        d[0] = dv[0];
        d[1 + n] = -dn[0];
        d[2 + n] = dv[1] - dn[1];
    } else {
        d[0] = dv[1];
        d[1 + n] = dv[0] - dn[0];
        d[2 + n] = -dn[1];
    }
    Ok((v - norm).min(T::zero()))
}

/// Truncated log CDF `log((F(x) − F(L)) / (F(U) − F(L)))`.
pub fn truncated_lcdf<D: Cdf, T: Real>(
    x: T,
    p: &[T],
    lower: Option<T>,
    upper: Option<T>,
    d: &mut [T],
) -> Result<T, DistError> {
    truncated_tail::<D, T>(x, p, lower, upper, d, false)
}

/// Truncated log CCDF `log((F(U) − F(x)) / (F(U) − F(L)))`.
pub fn truncated_lccdf<D: Cdf, T: Real>(
    x: T,
    p: &[T],
    lower: Option<T>,
    upper: Option<T>,
    d: &mut [T],
) -> Result<T, DistError> {
    truncated_tail::<D, T>(x, p, lower, upper, d, true)
}
