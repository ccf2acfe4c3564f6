//! Unit vector: `x = y / ‖y‖` with the term `-½‖y‖²` added to the log density
//! (Stan reference manual, "Unit vector"). This is not a bijection: the term
//! is a standard-normal prior on `y` that makes the radial direction proper.
//! [`inverse`] returns `y = x` (the point of radius 1).
//!
//! `‖y‖` is computed with scaling by `max|y_i|`, so `x` is accurate even when
//! `‖y‖²` would overflow. `y = 0` gives NaN (flagged non-finite).

use super::{check_len, invalid, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "unit_vector";

/// Number of free values (`k`).
pub fn free_len(k: usize) -> usize {
    k
}

fn norm<T: Real>(y: &[T]) -> T {
    let m = y.iter().fold(T::zero(), |m, &v| if v.abs() > m || v.is_nan() { v.abs() } else { m });
    if m == T::zero() || !m.is_finite() {
        // 0, inf or NaN: no scaling can help; plain arithmetic flags it
        return y.iter().map(|&v| v * v).sum::<T>().sqrt();
    }
    m * y.iter().map(|&v| (v / m) * (v / m)).sum::<T>().sqrt()
}

/// Writes `x = y/‖y‖` (same length); returns `-½‖y‖²`.
pub fn forward<T: Real>(y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    check_len(NAME, "x", y.len(), x.len())?;
    if y.is_empty() {
        return Err(TransformError::Shape { transform: NAME, what: "length (at least)", expected: 1, got: 0 });
    }
    let r = norm(y);
    for (xi, &yi) in x.iter_mut().zip(y) {
        *xi = yi / r;
    }
    Ok(T::c(-0.5) * y.iter().map(|&v| v * v).sum::<T>())
}

/// Accumulates `adj_y += (adj_x - x·(x·adj_x))/‖y‖ - y`; `x` is the output of [`forward`].
pub fn backward<T: Real>(y: &[T], x: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    check_len(NAME, "x", y.len(), x.len())?;
    check_len(NAME, "adj_x", y.len(), adj_x.len())?;
    check_len(NAME, "adj_y", y.len(), adj_y.len())?;
    let r = norm(y);
    let dot: T = x.iter().zip(adj_x).map(|(&a, &b)| a * b).sum();
    for i in 0..y.len() {
        adj_y[i] += (adj_x[i] - x[i] * dot) / r - y[i];
    }
    Ok(())
}

/// `y = x`; an error unless `x` is finite with `|‖x‖² - 1| ≤ max(1e-8, 64·K·eps)`.
pub fn inverse<T: Real>(x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    check_len(NAME, "y", x.len(), y.len())?;
    if x.is_empty() {
        return Err(TransformError::Shape { transform: NAME, what: "length (at least)", expected: 1, got: 0 });
    }
    let sq: T = x.iter().map(|&v| v * v).sum();
    if !((sq - T::one()).abs() <= sum_tolerance::<T>(x.len())) {
        return Err(invalid(NAME, "of unit length (the value is the squared norm)", None, sq));
    }
    y.copy_from_slice(x);
    Ok(())
}
