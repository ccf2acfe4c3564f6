//! Shared core of [`cholesky_corr`](super::cholesky_corr) and
//! [`corr_matrix`](super::corr_matrix): canonical partial correlations
//! `z_ij = tanh(y_ij)` (`j < i`) to the Cholesky factor `L` of a correlation
//! matrix (Stan reference manual, "Cholesky factors of correlation matrices";
//! Lewandowski, Kurowicka & Joe 2009):
//!
//! `L_00 = 1`; in row `i ≥ 1`, with `s_0 = 1`: `L_ij = z_ij·s_j`,
//! `s_{j+1} = s_j·sqrt(1 - z_ij²) = s_j·sech(y_ij)`, and `L_ii = s_i`.
//!
//! Each row has unit norm, so `s_j² = Σ_{l≥j} L_il²` — the backward rebuilds
//! `s_j` as this suffix sum (non-negative terms, accurate) instead of dividing
//! by `sech`, which may underflow.
//!
//! Stan orders the free values differently for the two types: row-major over
//! the strict lower triangle for `cholesky_factor_corr`, column-major for
//! `corr_matrix`. [`Order`] keeps both compatible with Stan's unconstrained
//! vectors.

use super::num::sech;
use super::{invalid, TransformError};
use exmc_core::Real;

/// Position of `z_ij` (`j < i`) in the free vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// `(1,0), (2,0), (2,1), (3,0), …`: index `i(i-1)/2 + j`.
    RowMajor,
    /// `(1,0), (2,0), …, (K-1,0), (2,1), …`: index `j(2K-j-1)/2 + i-j-1`.
    ColMajor,
}

impl Order {
    #[inline]
    pub(crate) fn index(self, k: usize, i: usize, j: usize) -> usize {
        match self {
            Order::RowMajor => i * (i - 1) / 2 + j,
            Order::ColMajor => j * (2 * k - j - 1) / 2 + (i - j - 1),
        }
    }
}

/// Number of CPCs for a `k × k` factor: `k(k-1)/2`.
pub(crate) fn free_len(k: usize) -> usize {
    k * k.saturating_sub(1) / 2
}

/// Writes `L` (`k × k`, row-major, zero above the diagonal). Lengths are the
/// caller's to check.
pub(crate) fn fill_l<T: Real>(k: usize, y: &[T], order: Order, l: &mut [T]) {
    for i in 0..k {
        let row = &mut l[i * k..(i + 1) * k];
        let mut s = T::one();
        for j in 0..i {
            let u = y[order.index(k, i, j)];
            row[j] = u.tanh() * s;
            s *= sech(u);
        }
        row[i] = s;
        for v in &mut row[i + 1..] {
            *v = T::zero();
        }
    }
}

/// Accumulates into `adj_y` the gradient of `Σ_{j≤i} adj_l_ij·L_ij` (only the
/// lower triangle of `adj_l` is read); `l` is the output of [`fill_l`].
pub(crate) fn backward_l<T: Real>(k: usize, y: &[T], order: Order, l: &[T], adj_l: &[T], adj_y: &mut [T]) {
    for i in 1..k {
        let row = &l[i * k..(i + 1) * k];
        let arow = &adj_l[i * k..(i + 1) * k];
        let mut sq = row[i] * row[i];
        let mut adj_s = arow[i]; // adjoint of s_{j+1}
        for j in (0..i).rev() {
            sq += row[j] * row[j];
            let s = sq.sqrt(); // s_j
            let idx = order.index(k, i, j);
            let u = y[idx];
            let z = u.tanh();
            let c = sech(u);
            let adj_z = arow[j] * s;
            let adj_c = adj_s * s;
            adj_s = arow[j] * z + adj_s * c;
            // dz/du = c², dc/du = -c·z
            adj_y[idx] += adj_z * c * c - adj_c * c * z;
        }
    }
}

/// CPCs from a Cholesky factor of a correlation matrix: checks lower
/// triangularity (exact zeros above the diagonal), positive diagonal and unit
/// row norms within `tol`, then `y_ij = atanh(L_ij / sqrt(Σ_{l≥j} L_il²))`.
pub(crate) fn inverse_l<T: Real>(
    name: &'static str,
    k: usize,
    l: &[T],
    order: Order,
    tol: T,
    y: &mut [T],
) -> Result<(), TransformError> {
    for i in 0..k {
        let row = &l[i * k..(i + 1) * k];
        for (j, &v) in row.iter().enumerate() {
            if !v.is_finite() {
                return Err(invalid(name, "finite", Some(i * k + j), v));
            }
            if j > i && v != T::zero() {
                return Err(invalid(name, "lower triangular (zero above the diagonal)", Some(i * k + j), v));
            }
        }
        if !(row[i] > T::zero()) {
            return Err(invalid(name, "positive on the diagonal", Some(i * k + i), row[i]));
        }
        let sq: T = row[..=i].iter().map(|&v| v * v).sum();
        if !((sq - T::one()).abs() <= tol) {
            return Err(invalid(name, "of unit row norm (the value is the squared norm)", Some(i * k), sq));
        }
        let mut suffix = row[i] * row[i];
        for j in (0..i).rev() {
            suffix += row[j] * row[j];
            let v = (row[j] / suffix.sqrt()).atanh();
            if !v.is_finite() {
                return Err(invalid(
                    name,
                    "a factor with partial correlations strictly inside (-1, 1)",
                    Some(i * k + j),
                    row[j],
                ));
            }
            y[order.index(k, i, j)] = v;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_bijections_onto_the_free_vector() {
        for k in 1..7 {
            for order in [Order::RowMajor, Order::ColMajor] {
                let mut seen = vec![false; free_len(k)];
                for i in 0..k {
                    for j in 0..i {
                        let p = order.index(k, i, j);
                        assert!(!seen[p]);
                        seen[p] = true;
                    }
                }
                assert!(seen.iter().all(|&s| s));
            }
        }
    }

    #[test]
    fn two_by_two_is_tanh_and_sech() {
        let mut l = [9.0f64; 4];
        fill_l(2, &[0.7], Order::RowMajor, &mut l);
        assert_eq!(l[0], 1.0);
        assert_eq!(l[1], 0.0);
        assert!((l[2] - 0.7f64.tanh()).abs() < 1e-16);
        assert!((l[3] - 1.0 / 0.7f64.cosh()).abs() < 1e-16);
    }
}
