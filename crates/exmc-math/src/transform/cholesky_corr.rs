//! Cholesky factor of a `K × K` correlation matrix from `K(K-1)/2` free values
//! (Stan's `cholesky_factor_corr`; construction in [`cpc`](super::cpc), free
//! values in Stan's row-major order). `x` is `L`, row-major, zeros above the
//! diagonal.
//!
//! The density is on the strictly lower triangle of `L`; `L_ij` depends on
//! `y_il`, `l ≤ j`, only, so the Jacobian is triangular with diagonal
//! `sech²(y_ij)·s_ij` and
//! `logJ = Σ_{j<i} log(1 - z_ij²) + ½ Σ_{0<j<i} log(s_ij²)
//!       = Σ_{j<i} (1 + (i-1-j)/2)·log(1 - z_ij²)`,
//! with `log(1 - z²) = log sech²(y)` evaluated without cancellation.

use super::cpc::{self, Order};
use super::num::log_sech2;
use super::{check_len, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "cholesky_factor_corr";

/// Number of free values: `k(k-1)/2`.
pub fn free_len(k: usize) -> usize {
    cpc::free_len(k)
}

fn check_shape(k: usize, y: usize, x: usize) -> Result<(), TransformError> {
    check_len(NAME, "y", free_len(k), y)?;
    check_len(NAME, "x (K·K)", k * k, x)
}

#[inline]
fn coef<T: Real>(i: usize, j: usize) -> T {
    T::c(1.0 + 0.5 * (i - 1 - j) as f64)
}

/// Writes `L` into `x` (`k × k` row-major); returns `logJ`.
pub fn forward<T: Real>(k: usize, y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    check_shape(k, y.len(), x.len())?;
    cpc::fill_l(k, y, Order::RowMajor, x);
    let mut logj = T::zero();
    for i in 1..k {
        for j in 0..i {
            logj += coef::<T>(i, j) * log_sech2(y[Order::RowMajor.index(k, i, j)]);
        }
    }
    Ok(logj)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ` (the upper
/// triangle of `adj_x` is ignored: those entries are constant zeros); `x` is
/// the output of [`forward`].
pub fn backward<T: Real>(k: usize, y: &[T], x: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    check_shape(k, y.len(), x.len())?;
    check_len(NAME, "adj_x", k * k, adj_x.len())?;
    check_len(NAME, "adj_y", free_len(k), adj_y.len())?;
    cpc::backward_l(k, y, Order::RowMajor, x, adj_x, adj_y);
    for i in 1..k {
        for j in 0..i {
            let idx = Order::RowMajor.index(k, i, j);
            // d/dy log sech²(y) = -2 tanh(y)
            adj_y[idx] -= T::c(2.0) * coef::<T>(i, j) * y[idx].tanh();
        }
    }
    Ok(())
}

/// Free values from a Cholesky factor of a correlation matrix (lower
/// triangular, positive diagonal, unit row norms within `max(1e-8, 64·K·eps)`).
pub fn inverse<T: Real>(k: usize, x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    check_shape(k, y.len(), x.len())?;
    cpc::inverse_l(NAME, k, x, Order::RowMajor, sum_tolerance::<T>(k), y)
}
