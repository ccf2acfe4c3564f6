//! Unit simplex of length `K` from `K - 1` free values: Stan's stick-breaking
//! transform (reference manual, "Unit simplex").
//!
//! With `u_i = y_i - log(K-1-i)` (0-based `i < K-1`) and `z_i = inv_logit(u_i)`:
//! `x_i = z_i·(1 - Σ_{j<i} x_j)`, `x_{K-1} = 1 - Σ_{j<K-1} x_j`. The offset makes
//! `y = 0` map to the uniform simplex. The log-Jacobian of `y ↦ x_{0..K-2}` is
//! `Σ_i log z_i + log(1 - z_i) + log(stick_i) = Σ_i log z_i + (K-1-i)·log(1 - z_i)`.
//!
//! The remaining stick is carried multiplicatively (`stick·(1 - z_i)`, with
//! `1 - z_i = inv_logit(-u_i)`), so no cancellation; the backward rebuilds the
//! sticks as suffix sums of `x` (sums of non-negative numbers, accurate).

use super::num::logistic_parts;
use super::{check_len, invalid, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "simplex";

/// Number of free values for a simplex of length `k` (`k - 1`; 0 for `k = 0`).
pub fn free_len(k: usize) -> usize {
    k.saturating_sub(1)
}

fn check_shape(k: usize, y_len: usize) -> Result<(), TransformError> {
    if k == 0 {
        return Err(TransformError::Shape { transform: NAME, what: "length (at least)", expected: 1, got: 0 });
    }
    check_len(NAME, "y", k - 1, y_len)
}

#[inline]
fn offset<T: Real>(k: usize, i: usize) -> T {
    T::c(((k - 1 - i) as f64).ln())
}

/// Writes the simplex `x` (length `K = x.len()`, `y.len() = K - 1`); returns `logJ`.
pub fn forward<T: Real>(y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    let k = x.len();
    check_shape(k, y.len())?;
    let mut stick = T::one();
    let mut logj = T::zero();
    for (i, (&yi, xi)) in y.iter().zip(x.iter_mut()).enumerate() {
        let (z, zc, log_z, log_zc) = logistic_parts(yi - offset::<T>(k, i));
        *xi = stick * z;
        stick *= zc;
        logj += log_z + T::c((k - 1 - i) as f64) * log_zc;
    }
    x[k - 1] = stick;
    Ok(logj)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ`; `x` must be the
/// output of [`forward`] at `y`.
pub fn backward<T: Real>(y: &[T], x: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    let k = x.len();
    check_shape(k, y.len())?;
    check_len(NAME, "adj_x", k, adj_x.len())?;
    check_len(NAME, "adj_y", k - 1, adj_y.len())?;
    let mut adj_stick = adj_x[k - 1];
    let mut suffix = x[k - 1];
    for i in (0..k - 1).rev() {
        let stick = x[i] + suffix; // stick_i = x_i + stick_{i+1}
        let (z, zc, _, _) = logistic_parts(y[i] - offset::<T>(k, i));
        // x_i = stick_i·z, stick_{i+1} = stick_i·(1 - z)
        let adj_z = (adj_x[i] - adj_stick) * stick;
        adj_stick = adj_x[i] * z + adj_stick * zc;
        adj_y[i] += adj_z * z * zc + zc - T::c((k - 1 - i) as f64) * z;
        suffix = stick;
    }
    Ok(())
}

/// `y` from a simplex `x`: every `x_i > 0` and `|Σx - 1| ≤ tolerance`
/// (`max(1e-8, 64·K·eps)`). `y_i = log x_i - log(Σ_{j>i} x_j) + log(K-1-i)`.
pub fn inverse<T: Real>(x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    let k = x.len();
    check_shape(k, y.len())?;
    for (i, &xi) in x.iter().enumerate() {
        if !(xi > T::zero() && xi.is_finite()) {
            return Err(invalid(NAME, "positive (interior of the simplex)", Some(i), xi));
        }
    }
    let sum: T = x.iter().copied().sum();
    if !((sum - T::one()).abs() <= sum_tolerance::<T>(k)) {
        return Err(invalid(NAME, "summing to 1 (the value is the sum)", None, sum));
    }
    let mut suffix = x[k - 1];
    for i in (0..k - 1).rev() {
        y[i] = x[i].ln() - suffix.ln() + offset::<T>(k, i);
        suffix += x[i];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_maps_to_the_uniform_simplex() {
        let mut x = [0.0f64; 5];
        forward(&[0.0; 4], &mut x).unwrap();
        for v in x {
            assert!((v - 0.2).abs() < 1e-15);
        }
    }

    #[test]
    fn length_one_is_the_point_one() {
        let mut x = [0.0f64; 1];
        assert_eq!(forward(&[], &mut x).unwrap(), 0.0);
        assert_eq!(x[0], 1.0);
        assert!(forward::<f64>(&[], &mut []).is_err());
    }

    #[test]
    fn inverse_rejects_points_off_the_simplex() {
        let mut y = [0.0f64; 2];
        assert!(inverse(&[0.5, 0.5, 0.1], &mut y).is_err());
        assert!(inverse(&[0.5, 0.5, 0.0], &mut y).is_err());
        assert!(inverse(&[0.5, f64::NAN, 0.5], &mut y).is_err());
        assert!(inverse(&[0.5, 0.5], &mut y).is_err());
    }
}
