//! Ordered vector: `x_0 = y_0`, `x_k = x_{k-1} + exp(y_k)`; `logJ = Σ_{k≥1} y_k`
//! (Stan reference manual, "Ordered vector"). See
//! [`positive_ordered`](super::positive_ordered) for the variant with `x_0 = exp(y_0)`.

use super::{check_len, invalid, TransformError};
use exmc_core::Real;

const NAME: &str = "ordered";

/// Number of free values (`k`).
pub fn free_len(k: usize) -> usize {
    k
}

/// Writes `x` (length `y.len()`); returns `logJ`.
pub fn forward<T: Real>(y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    forward_impl(NAME, false, y, x)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ`.
pub fn backward<T: Real>(y: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    backward_impl(NAME, false, y, adj_x, adj_y)
}

/// `y_0 = x_0`, `y_k = log(x_k - x_{k-1})`; an error unless `x` is finite and
/// strictly increasing.
pub fn inverse<T: Real>(x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    inverse_impl(NAME, false, x, y)
}

pub(crate) fn forward_impl<T: Real>(
    name: &'static str,
    positive: bool,
    y: &[T],
    x: &mut [T],
) -> Result<T, TransformError> {
    check_len(name, "x", y.len(), x.len())?;
    let mut logj = T::zero();
    let mut prev = T::zero();
    for (k, (&yk, xk)) in y.iter().zip(x.iter_mut()).enumerate() {
        if k == 0 && !positive {
            *xk = yk;
        } else {
            *xk = prev + yk.exp();
            logj += yk;
        }
        prev = *xk;
    }
    Ok(logj)
}

pub(crate) fn backward_impl<T: Real>(
    name: &'static str,
    positive: bool,
    y: &[T],
    adj_x: &[T],
    adj_y: &mut [T],
) -> Result<(), TransformError> {
    check_len(name, "adj_x", y.len(), adj_x.len())?;
    check_len(name, "adj_y", y.len(), adj_y.len())?;
    // x_j depends on y_k for every j ≥ k, so y_k sees the suffix sum of adj_x.
    let mut acc = T::zero();
    for k in (0..y.len()).rev() {
        acc += adj_x[k];
        if k == 0 && !positive {
            adj_y[k] += acc;
        } else {
            adj_y[k] += acc * y[k].exp() + T::one();
        }
    }
    Ok(())
}

pub(crate) fn inverse_impl<T: Real>(
    name: &'static str,
    positive: bool,
    x: &[T],
    y: &mut [T],
) -> Result<(), TransformError> {
    check_len(name, "y", x.len(), y.len())?;
    let mut prev = T::zero();
    for (k, (&xk, yk)) in x.iter().zip(y.iter_mut()).enumerate() {
        if !xk.is_finite() {
            return Err(invalid(name, "finite", Some(k), xk));
        }
        if k == 0 && !positive {
            *yk = xk;
        } else {
            if !(xk > prev) {
                let must = if k == 0 { "positive" } else { "strictly greater than the previous element" };
                return Err(invalid(name, must, Some(k), xk));
            }
            *yk = (xk - prev).ln();
            if !yk.is_finite() {
                return Err(invalid(name, "separated from the previous element by a representable gap", Some(k), xk));
            }
        }
        prev = xk;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let mut x = [0.0f64; 3];
        let lj = forward(&[-1.0, 0.0, 2f64.ln()], &mut x).unwrap();
        assert_eq!(x, [-1.0, 0.0, 2.0]);
        assert!((lj - 2f64.ln()).abs() < 1e-15);
        let mut y = [0.0; 3];
        assert!(inverse(&[1.0, 1.0, 2.0], &mut y).is_err());
    }
}
