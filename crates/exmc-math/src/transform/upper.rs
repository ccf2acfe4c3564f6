//! Upper bound: `x = ub - exp(y)`, `log|dx/dy| = y` (Stan reference manual,
//! "Upper bounded scalar"). `ub = +inf` means no bound: `x = y`, `logJ = 0`.

use super::{invalid, TransformError};
use exmc_core::Real;

const NAME: &str = "upper";

/// `(x, logJ)` for `x = ub - exp(y)`.
#[inline]
pub fn forward<T: Real>(y: T, ub: T) -> (T, T) {
    if ub == T::infinity() {
        return (y, T::zero());
    }
    (ub - y.exp(), y)
}

/// `(adj_y, adj_ub)` given `adj_x` (adjoint of `logJ` = 1):
/// `adj_y = -adj_x·exp(y) + 1`, `adj_ub = adj_x`.
#[inline]
pub fn backward<T: Real>(y: T, ub: T, adj_x: T) -> (T, T) {
    if ub == T::infinity() {
        return (adj_x, T::zero());
    }
    (T::one() - adj_x * y.exp(), adj_x)
}

/// `y = log(ub - x)`; an error unless `-inf < x < ub`.
pub fn inverse<T: Real>(x: T, ub: T) -> Result<T, TransformError> {
    if ub == T::infinity() {
        return if x.is_finite() { Ok(x) } else { Err(invalid(NAME, "finite", None, x)) };
    }
    if !(x < ub) {
        return Err(invalid(NAME, "less than the upper bound", None, x));
    }
    let y = (ub - x).ln();
    if y.is_finite() {
        Ok(y)
    } else {
        Err(invalid(NAME, "finite and less than a finite upper bound", None, x))
    }
}
