//! Positive ordered vector: `x_0 = exp(y_0)`, `x_k = x_{k-1} + exp(y_k)`;
//! `logJ = Σ_k y_k` (Stan reference manual, "Positive ordered vector").

use super::ordered::{backward_impl, forward_impl, inverse_impl};
use super::TransformError;
use exmc_core::Real;

const NAME: &str = "positive_ordered";

/// Number of free values (`k`).
pub fn free_len(k: usize) -> usize {
    k
}

/// Writes `x` (length `y.len()`); returns `logJ`.
pub fn forward<T: Real>(y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    forward_impl(NAME, true, y, x)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ`.
pub fn backward<T: Real>(y: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    backward_impl(NAME, true, y, adj_x, adj_y)
}

/// `y_k = log(x_k - x_{k-1})` with `x_{-1} = 0`; an error unless
/// `0 < x_0 < x_1 < …` (finite).
pub fn inverse<T: Real>(x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    inverse_impl(NAME, true, x, y)
}
