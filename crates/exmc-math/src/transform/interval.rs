//! Interval: `x = lb + (ub - lb)·inv_logit(y)` (Stan reference manual, "Lower
//! and upper bounded scalar"), with
//! `logJ = log(ub - lb) + log inv_logit(y) + log(1 - inv_logit(y))
//!       = log(ub - lb) - |y| - 2·log1p(exp(-|y|))`,
//! finite for every finite `y`.
//!
//! For `y > 0` the value is computed as `ub - (ub - lb)·inv_logit(-y)`, so `x`
//! keeps full relative precision near either bound and reaches the bound
//! exactly (not beyond) for large `|y|`. As in Stan, an infinite bound turns
//! the transform into [`lower`](super::lower), [`upper`](super::upper) or the
//! identity.

use super::num::logistic_parts;
use super::{invalid, lower, upper, TransformError};
use exmc_core::Real;

const NAME: &str = "interval";

/// `(x, logJ)`.
#[inline]
pub fn forward<T: Real>(y: T, lb: T, ub: T) -> (T, T) {
    if lb == T::neg_infinity() {
        return upper::forward(y, ub);
    }
    if ub == T::infinity() {
        return lower::forward(y, lb);
    }
    let d = ub - lb;
    let (s, sc, log_s, log_sc) = logistic_parts(y);
    let x = if y > T::zero() { ub - d * sc } else { lb + d * s };
    (x, d.ln() + log_s + log_sc)
}

/// `(adj_y, adj_lb, adj_ub)` given `adj_x` (adjoint of `logJ` = 1). With
/// `s = inv_logit(y)`, `d = ub - lb`:
/// `adj_y = adj_x·d·s(1-s) + (1 - 2s)`, `adj_lb = adj_x(1-s) - 1/d`,
/// `adj_ub = adj_x·s + 1/d`.
#[inline]
pub fn backward<T: Real>(y: T, lb: T, ub: T, adj_x: T) -> (T, T, T) {
    if lb == T::neg_infinity() {
        let (ay, aub) = upper::backward(y, ub, adj_x);
        return (ay, T::zero(), aub);
    }
    if ub == T::infinity() {
        let (ay, alb) = lower::backward(y, lb, adj_x);
        return (ay, alb, T::zero());
    }
    let d = ub - lb;
    let (s, sc, _, _) = logistic_parts(y);
    // 1 - 2·inv_logit(y) = -tanh(y/2), without cancellation
    let dlogj = -(y * T::c(0.5)).tanh();
    let inv_d = d.recip();
    (adj_x * d * s * sc + dlogj, adj_x * sc - inv_d, adj_x * s + inv_d)
}

/// `y = log(x - lb) - log(ub - x)`; an error unless `lb < x < ub`.
pub fn inverse<T: Real>(x: T, lb: T, ub: T) -> Result<T, TransformError> {
    if lb == T::neg_infinity() {
        return upper::inverse(x, ub);
    }
    if ub == T::infinity() {
        return lower::inverse(x, lb);
    }
    if !(x > lb && x < ub) {
        return Err(invalid(NAME, "strictly between the bounds", None, x));
    }
    let y = (x - lb).ln() - (ub - x).ln();
    if y.is_finite() {
        Ok(y)
    } else {
        Err(invalid(NAME, "strictly between finite bounds", None, x))
    }
}
