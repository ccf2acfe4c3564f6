//! Offset/multiplier (affine): `x = μ + σ·y`, `logJ = log σ` (Stan reference
//! manual, "Affinely transformed scalar"). `σ ≤ 0` or NaN gives a NaN or
//! `-inf` log-Jacobian (flagged non-finite), never a panic.

use super::{invalid, TransformError};
use exmc_core::Real;

const NAME: &str = "offset_multiplier";

/// `(x, logJ)`.
#[inline]
pub fn forward<T: Real>(y: T, offset: T, multiplier: T) -> (T, T) {
    (offset + multiplier * y, multiplier.ln())
}

/// `(adj_y, adj_offset, adj_multiplier)` given `adj_x` (adjoint of `logJ` = 1):
/// `adj_y = adj_x·σ`, `adj_μ = adj_x`, `adj_σ = adj_x·y + 1/σ`.
#[inline]
pub fn backward<T: Real>(y: T, offset: T, multiplier: T, adj_x: T) -> (T, T, T) {
    let _ = offset;
    (adj_x * multiplier, adj_x, adj_x * y + multiplier.recip())
}

/// `y = (x - μ)/σ`; an error unless `x`, `μ` are finite and `σ > 0` finite.
pub fn inverse<T: Real>(x: T, offset: T, multiplier: T) -> Result<T, TransformError> {
    if !(multiplier > T::zero() && multiplier.is_finite()) {
        return Err(invalid(NAME, "a positive finite multiplier", None, multiplier));
    }
    if !offset.is_finite() {
        return Err(invalid(NAME, "a finite offset", None, offset));
    }
    let y = (x - offset) / multiplier;
    if y.is_finite() {
        Ok(y)
    } else {
        Err(invalid(NAME, "finite", None, x))
    }
}
