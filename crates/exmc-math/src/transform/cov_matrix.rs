//! `K × K` covariance matrix from `K(K+1)/2` free values (Stan's `cov_matrix`):
//! `Σ = L Lᵀ` where `L` is lower triangular, filled row by row from `y` with
//! the diagonal through `exp` (as [`cholesky_cov`](super::cholesky_cov) with
//! `M = N = K`).
//!
//! The density is on the lower triangle of `Σ` (diagonal included). The
//! Jacobian of `L ↦ Σ` is `2^K Π_i L_ii^{K-i}` (0-based `i`) and the `exp`
//! adds `Π_i L_ii`, so `logJ = K·log 2 + Σ_i (K - i + 1)·y_ii` — Stan's value,
//! constant included.
//!
//! Scratch: [`scratch_len`]`(k) = K²` (the factor).

use super::{check_len, cholesky_cov, cholesky_in_place, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "cov_matrix";

/// Number of free values: `k(k+1)/2`.
pub fn free_len(k: usize) -> usize {
    k * (k + 1) / 2
}

/// Length of the scratch slice [`forward`] and [`backward`] need: `k²`.
pub fn scratch_len(k: usize) -> usize {
    k * k
}

fn check_shape(k: usize, y: usize, x: usize) -> Result<(), TransformError> {
    check_len(NAME, "y", free_len(k), y)?;
    check_len(NAME, "x (K·K)", k * k, x)
}

fn check_scratch(k: usize, s: usize) -> Result<(), TransformError> {
    if s < scratch_len(k) {
        return Err(TransformError::Shape {
            transform: NAME,
            what: "scratch (at least)",
            expected: scratch_len(k),
            got: s,
        });
    }
    Ok(())
}

#[inline]
fn diag_index(i: usize) -> usize {
    i * (i + 1) / 2 + i
}

/// Writes `Σ` into `x` (`k × k` row-major, symmetric); returns `logJ`.
pub fn forward<T: Real>(k: usize, y: &[T], x: &mut [T], scratch: &mut [T]) -> Result<T, TransformError> {
    check_shape(k, y.len(), x.len())?;
    check_scratch(k, scratch.len())?;
    let l = &mut scratch[..k * k];
    cholesky_cov::forward(k, k, y, l)?;
    for i in 0..k {
        for j in 0..=i {
            let v: T = (0..=j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            x[i * k + j] = v;
            x[j * k + i] = v;
        }
    }
    let mut logj = T::c(k as f64) * T::LN_2();
    for i in 0..k {
        logj += T::c((k - i + 1) as f64) * y[diag_index(i)];
    }
    Ok(logj)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ` (all entries of
/// `adj_x` count).
pub fn backward<T: Real>(
    k: usize,
    y: &[T],
    adj_x: &[T],
    adj_y: &mut [T],
    scratch: &mut [T],
) -> Result<(), TransformError> {
    check_shape(k, y.len(), adj_x.len())?;
    check_len(NAME, "adj_y", free_len(k), adj_y.len())?;
    check_scratch(k, scratch.len())?;
    let l = &mut scratch[..k * k];
    cholesky_cov::forward(k, k, y, l)?;
    // Σ_pq = Σ_m L_pm L_qm  ⇒  adj_L_ij = Σ_m (A_im + A_mi)·L_mj
    let mut pos = 0;
    for i in 0..k {
        for j in 0..=i {
            let mut acc = T::zero();
            for m in j..k {
                acc += (adj_x[i * k + m] + adj_x[m * k + i]) * l[m * k + j];
            }
            adj_y[pos] += if i == j { acc * l[i * k + i] + T::c((k - i + 1) as f64) } else { acc };
            pos += 1;
        }
    }
    Ok(())
}

/// Free values from a covariance matrix: finite, symmetric within
/// `max(1e-8, 64·K·eps)` relative, positive definite. Allocates.
pub fn inverse<T: Real>(k: usize, x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    check_shape(k, y.len(), x.len())?;
    let mut l = x.to_vec();
    cholesky_in_place(NAME, k, &mut l, sum_tolerance::<T>(k))?;
    cholesky_cov::inverse(k, k, &l, y).map_err(|e| e.renamed(NAME))
}
