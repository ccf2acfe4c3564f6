//! `K × K` correlation matrix from `K(K-1)/2` free values (Stan's
//! `corr_matrix`): `Ω = L Lᵀ` with `L` built from CPCs `z = tanh(y)` as in
//! [`cpc`](super::cpc), free values in Stan's column-major order.
//!
//! The density is on the strictly lower triangle of `Ω`. The Jacobian of the
//! CPCs → `Ω` map (Lewandowski, Kurowicka & Joe 2009; Stan's `read_corr_L`) is
//! `Π_{j<i} (1 - z_ij²)^{(K-j-2)/2}`, so with the `tanh` step
//! `logJ = Σ_{j<i} (1 + (K-j-2)/2)·log(1 - z_ij²)`.
//!
//! The diagonal of `x` is set to exactly 1 (its adjoint is ignored).
//! Scratch: [`scratch_len`]`(k) = 2K²` (the factor and its adjoint).

use super::cpc::{self, Order};
use super::num::log_sech2;
use super::{check_len, cholesky_in_place, invalid, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "corr_matrix";

/// Number of free values: `k(k-1)/2`.
pub fn free_len(k: usize) -> usize {
    cpc::free_len(k)
}

/// Length of the scratch slice [`forward`] and [`backward`] need: `2k²`.
pub fn scratch_len(k: usize) -> usize {
    2 * k * k
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
fn coef<T: Real>(k: usize, j: usize) -> T {
    T::c(1.0 + 0.5 * (k - j - 2) as f64)
}

/// Writes `Ω` into `x` (`k × k` row-major, symmetric); returns `logJ`.
pub fn forward<T: Real>(k: usize, y: &[T], x: &mut [T], scratch: &mut [T]) -> Result<T, TransformError> {
    check_shape(k, y.len(), x.len())?;
    check_scratch(k, scratch.len())?;
    let l = &mut scratch[..k * k];
    cpc::fill_l(k, y, Order::ColMajor, l);
    for i in 0..k {
        x[i * k + i] = T::one();
        for j in 0..i {
            let v: T = (0..=j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            x[i * k + j] = v;
            x[j * k + i] = v;
        }
    }
    let mut logj = T::zero();
    for i in 1..k {
        for j in 0..i {
            logj += coef::<T>(k, j) * log_sech2(y[Order::ColMajor.index(k, i, j)]);
        }
    }
    Ok(logj)
}

/// Accumulates into `adj_y` the gradient of `Σ adj_x·x + logJ` (both
/// triangles of `adj_x` count; the diagonal is ignored).
pub fn backward<T: Real>(
    k: usize,
    y: &[T],
    adj_x: &[T],
    adj_y: &mut [T],
    scratch: &mut [T],
) -> Result<(), TransformError> {
    check_len(NAME, "y", free_len(k), y.len())?;
    check_len(NAME, "adj_x", k * k, adj_x.len())?;
    check_len(NAME, "adj_y", free_len(k), adj_y.len())?;
    check_scratch(k, scratch.len())?;
    let (l, adj_l) = scratch[..2 * k * k].split_at_mut(k * k);
    cpc::fill_l(k, y, Order::ColMajor, l);
    // Ω_pq = Σ_m L_pm L_qm  ⇒  adj_L_ij = Σ_{m≠i} (A_im + A_mi)·L_mj
    for i in 0..k {
        for j in 0..=i {
            let mut acc = T::zero();
            for m in j..k {
                if m != i {
                    acc += (adj_x[i * k + m] + adj_x[m * k + i]) * l[m * k + j];
                }
            }
            adj_l[i * k + j] = acc;
        }
    }
    cpc::backward_l(k, y, Order::ColMajor, l, adj_l, adj_y);
    for i in 1..k {
        for j in 0..i {
            let idx = Order::ColMajor.index(k, i, j);
            adj_y[idx] -= T::c(2.0) * coef::<T>(k, j) * y[idx].tanh();
        }
    }
    Ok(())
}

/// Free values from a correlation matrix: finite, symmetric and with unit
/// diagonal within `max(1e-8, 64·K·eps)`, positive definite. Allocates.
pub fn inverse<T: Real>(k: usize, x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    check_shape(k, y.len(), x.len())?;
    let tol = sum_tolerance::<T>(k);
    for i in 0..k {
        let d = x[i * k + i];
        if !((d - T::one()).abs() <= tol) {
            return Err(invalid(NAME, "1 on the diagonal", Some(i * k + i), d));
        }
    }
    let mut l = x.to_vec();
    cholesky_in_place(NAME, k, &mut l, tol)?;
    // Normalise rows so that rounding in the diagonal does not leak in.
    for i in 0..k {
        let n = l[i * k..=i * k + i].iter().map(|&v| v * v).sum::<T>().sqrt();
        for v in &mut l[i * k..=i * k + i] {
            *v /= n;
        }
    }
    cpc::inverse_l(NAME, k, &l, Order::ColMajor, tol, y)
}
