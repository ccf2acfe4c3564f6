//! Lower bound: `x = lb + exp(y)`, `log|dx/dy| = y` (Stan reference manual,
//! "Lower bounded scalar"). `lb = -inf` means no bound: `x = y`, `logJ = 0`.

use super::{invalid, TransformError};
use exmc_core::Real;

const NAME: &str = "lower";

/// `(x, logJ)` for `x = lb + exp(y)`.
#[inline]
pub fn forward<T: Real>(y: T, lb: T) -> (T, T) {
    if lb == T::neg_infinity() {
        return (y, T::zero());
    }
    (lb + y.exp(), y)
}

/// `(adj_y, adj_lb)` given `adj_x`, with the adjoint of `logJ` taken as 1:
/// `adj_y = adj_x·exp(y) + 1`, `adj_lb = adj_x`.
#[inline]
pub fn backward<T: Real>(y: T, lb: T, adj_x: T) -> (T, T) {
    if lb == T::neg_infinity() {
        return (adj_x, T::zero());
    }
    (adj_x * y.exp() + T::one(), adj_x)
}

/// `y = log(x - lb)`; an error unless `lb < x < inf`.
pub fn inverse<T: Real>(x: T, lb: T) -> Result<T, TransformError> {
    if lb == T::neg_infinity() {
        return if x.is_finite() { Ok(x) } else { Err(invalid(NAME, "finite", None, x)) };
    }
    if !(x > lb) {
        return Err(invalid(NAME, "greater than the lower bound", None, x));
    }
    let y = (x - lb).ln();
    if y.is_finite() {
        Ok(y)
    } else {
        Err(invalid(NAME, "finite and greater than a finite lower bound", None, x))
    }
}
