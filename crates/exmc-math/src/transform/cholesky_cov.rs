//! Cholesky factor of a covariance matrix, `M × N` with `M ≥ N` (Stan's
//! `cholesky_factor_cov`): the free values fill the lower triangle of the top
//! `N × N` block row by row (the diagonal through `exp`), then the last `M - N`
//! rows in full. `N(N+1)/2 + (M-N)·N` free values; `logJ = Σ_i y_ii` (the
//! diagonal values). `x` is row-major `M × N`, zeros above the diagonal.

use super::{check_len, invalid, TransformError};
use exmc_core::Real;

const NAME: &str = "cholesky_factor_cov";

/// Number of free values: `n(n+1)/2 + (m-n)·n` (0 if `m < n`, which is invalid).
pub fn free_len(m: usize, n: usize) -> usize {
    if m < n {
        return 0;
    }
    n * (n + 1) / 2 + (m - n) * n
}

fn check_shape(m: usize, n: usize, y: usize, x: usize) -> Result<(), TransformError> {
    if m < n {
        return Err(TransformError::Shape {
            transform: NAME,
            what: "rows M (at least the columns N)",
            expected: n,
            got: m,
        });
    }
    check_len(NAME, "y", free_len(m, n), y)?;
    check_len(NAME, "x (M·N)", m * n, x)
}

/// Writes `L` into `x`; returns `logJ`.
pub fn forward<T: Real>(m: usize, n: usize, y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    check_shape(m, n, y.len(), x.len())?;
    let mut pos = 0;
    let mut logj = T::zero();
    for r in 0..m {
        for c in 0..n {
            x[r * n + c] = if c < r {
                pos += 1;
                y[pos - 1]
            } else if c == r {
                pos += 1;
                logj += y[pos - 1];
                y[pos - 1].exp()
            } else {
                T::zero()
            };
        }
    }
    Ok(logj)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ` (entries of
/// `adj_x` above the diagonal are ignored).
pub fn backward<T: Real>(m: usize, n: usize, y: &[T], adj_x: &[T], adj_y: &mut [T]) -> Result<(), TransformError> {
    check_shape(m, n, y.len(), adj_x.len())?;
    check_len(NAME, "adj_y", free_len(m, n), adj_y.len())?;
    let mut pos = 0;
    for r in 0..m {
        for c in 0..n.min(r + 1) {
            let a = adj_x[r * n + c];
            adj_y[pos] += if c == r { a * y[pos].exp() + T::one() } else { a };
            pos += 1;
        }
    }
    Ok(())
}

/// Free values from `L`: finite, exactly zero above the diagonal, positive diagonal.
pub fn inverse<T: Real>(m: usize, n: usize, x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    check_shape(m, n, y.len(), x.len())?;
    let mut pos = 0;
    for r in 0..m {
        for c in 0..n {
            let v = x[r * n + c];
            let at = Some(r * n + c);
            if !v.is_finite() {
                return Err(invalid(NAME, "finite", at, v));
            }
            if c > r {
                if v != T::zero() {
                    return Err(invalid(NAME, "lower triangular (zero above the diagonal)", at, v));
                }
                continue;
            }
            y[pos] = if c == r {
                if !(v > T::zero()) {
                    return Err(invalid(NAME, "positive on the diagonal", at, v));
                }
                v.ln()
            } else {
                v
            };
            pos += 1;
        }
    }
    Ok(())
}
