//! Vector of length `K` summing to zero from `K - 1` free values: Stan's
//! `sum_to_zero_vector` (reference manual, "Zero sum vector"), the inverse
//! isometric log-ratio transform in pivot coordinates (Egozcue et al. 2003;
//! Filzmoser, Hron & Templ 2018).
//!
//! With `nⱼ = j + 1` (0-based `j < K-1`) and `Sᵢ = Σ_{j>i} yⱼ / √(nⱼ(nⱼ+1))`:
//! `x₀ = S₋₁`, `x_{i+1} = Sᵢ − yᵢ · nᵢ/√(nᵢ(nᵢ+1))`. Column `j` of this
//! linear map is a Helmert vector (`nⱼ` entries `1/√(nⱼ(nⱼ+1))`, then
//! `−nⱼ/√(nⱼ(nⱼ+1))`): orthonormal, so the map is an isometry onto the
//! zero-sum subspace and there is no Jacobian term (`logJ = 0`). The free
//! values are Stan's, so unconstrained vectors are interchangeable.

use super::{check_len, invalid, sum_tolerance, TransformError};
use exmc_core::Real;

const NAME: &str = "sum_to_zero_vector";

/// Number of free values for length `k` (`k - 1`; 0 for `k = 0`).
pub fn free_len(k: usize) -> usize {
    k.saturating_sub(1)
}

/// `1/√(n(n+1))` for `n = j + 1`.
#[inline]
fn w<T: Real>(j: usize) -> T {
    let n = (j + 1) as f64;
    T::c(1.0 / (n * (n + 1.0)).sqrt())
}

/// Writes `x` (length `K = x.len()`, `y.len() = K - 1`); returns `logJ = 0`.
pub fn forward<T: Real>(y: &[T], x: &mut [T]) -> Result<T, TransformError> {
    let k = x.len();
    check_len(NAME, "y", free_len(k), y.len())?;
    if k == 0 {
        return Ok(T::zero());
    }
    let mut s = T::zero();
    for i in (0..k - 1).rev() {
        let n = T::c((i + 1) as f64);
        x[i + 1] = s - y[i] * n * w::<T>(i);
        s += y[i] * w::<T>(i);
    }
    x[0] = s;
    Ok(T::zero())
}

/// Adds `Vᵀ adj_x` to `adj_y` (the map is linear; no Jacobian term).
pub fn backward<T: Real>(adj_x: &[T], adj_y: &mut [T]) {
    let k = adj_x.len();
    // adj_y[j] = wⱼ (Σ_{m≤j} adj_x[m] − nⱼ adj_x[j+1])
    let mut prefix = T::zero();
    for j in 0..k.saturating_sub(1) {
        prefix += adj_x[j];
        let n = T::c((j + 1) as f64);
        adj_y[j] += w::<T>(j) * (prefix - n * adj_x[j + 1]);
    }
}

/// Writes `y` from `x`; an error unless `x` sums to zero (tolerance
/// [`sum_tolerance`] times the scale of `x`).
pub fn inverse<T: Real>(x: &[T], y: &mut [T]) -> Result<(), TransformError> {
    let k = x.len();
    check_len(NAME, "y", free_len(k), y.len())?;
    if let Some((i, &v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(invalid(NAME, "finite", Some(i), v));
    }
    let sum: T = x.iter().copied().sum();
    let scale = x.iter().fold(T::one(), |m, v| m.max(v.abs()));
    if !(sum.abs() <= sum_tolerance::<T>(k) * scale) {
        return Err(invalid(NAME, "summing to 0 (the value is the sum)", None, sum));
    }
    // y = Vᵀ x (V orthonormal): the same formula as the backward.
    y.iter_mut().for_each(|v| *v = T::zero());
    backward(x, y);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_to_zero_isometric_and_inverse() {
        for k in 1..7 {
            let y: Vec<f64> = (0..k - 1).map(|i| 0.3 * i as f64 - 0.7).collect();
            let mut x = vec![0.0; k];
            assert_eq!(forward(&y, &mut x).unwrap(), 0.0);
            assert!(x.iter().sum::<f64>().abs() < 1e-14, "k {k}: {x:?}");
            // An isometry: ‖x‖ = ‖y‖.
            let (nx, ny) = (x.iter().map(|v| v * v).sum::<f64>(), y.iter().map(|v| v * v).sum::<f64>());
            assert!((nx - ny).abs() < 1e-13, "k {k}: {nx} vs {ny}");
            let mut back = vec![0.0; k - 1];
            inverse(&x, &mut back).unwrap();
            for (a, b) in y.iter().zip(&back) {
                assert!((a - b).abs() < 1e-14);
            }
        }
        assert!(inverse(&[1.0, 0.5], &mut [0.0]).unwrap_err().to_string().contains("summing to 0"));
    }

    /// Stan's free transform (its `y[N-1] = -z[N] √(N(N+1))/N` step) at `K = 3`.
    #[test]
    fn matches_the_pivot_coordinates() {
        let mut x = [0.0; 3];
        forward(&[0.0, 1.0], &mut x).unwrap();
        // y₁ = 1 alone: x = (1, 1, −2)/√6.
        let s = 6f64.sqrt();
        assert!((x[0] - 1.0 / s).abs() < 1e-15 && (x[1] - 1.0 / s).abs() < 1e-15 && (x[2] + 2.0 / s).abs() < 1e-15);
    }

    /// The backward is the transpose of the forward: ⟨V y, a⟩ = ⟨y, Vᵀ a⟩.
    #[test]
    fn backward_is_the_transpose() {
        let y = [0.4, -1.1, 0.25];
        let a = [0.3, -0.2, 1.5, 0.7];
        let mut x = [0.0; 4];
        forward(&y, &mut x).unwrap();
        let mut g = [0.0; 3];
        backward(&a, &mut g);
        let lhs: f64 = x.iter().zip(&a).map(|(p, q)| p * q).sum();
        let rhs: f64 = y.iter().zip(&g).map(|(p, q)| p * q).sum();
        assert!((lhs - rhs).abs() < 1e-14);
    }
}
