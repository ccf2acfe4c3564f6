//! Dense metric: `M⁻¹ = Σ` (a covariance), with its Cholesky factor `Σ = L Lᵀ`.
//!
//! Momentum: `p = L⁻ᵀ z`, `z ~ N(0, I)`, so `Cov(p) = (L Lᵀ)⁻¹ = Σ⁻¹ = M`.

use rand::Rng;
use rand_distr::StandardNormal;

#[derive(Clone, Debug, PartialEq)]
pub struct DenseMetric {
    dim: usize,
    /// `Σ = M⁻¹`, row-major.
    inv: Vec<f64>,
    /// Lower Cholesky factor of `Σ`, row-major (upper triangle zero).
    chol: Vec<f64>,
}

impl DenseMetric {
    pub fn identity(dim: usize) -> Self {
        let mut inv = vec![0.0; dim * dim];
        for i in 0..dim {
            inv[i * dim + i] = 1.0;
        }
        DenseMetric { dim, chol: inv.clone(), inv }
    }

    /// From `Σ = M⁻¹` (row-major `dim × dim`, symmetrised here); `None` if it is
    /// not finite and positive definite.
    pub fn from_inv(dim: usize, mut inv: Vec<f64>) -> Option<Self> {
        if inv.len() != dim * dim || inv.iter().any(|x| !x.is_finite()) {
            return None;
        }
        for i in 0..dim {
            for j in 0..i {
                let s = 0.5 * (inv[i * dim + j] + inv[j * dim + i]);
                inv[i * dim + j] = s;
                inv[j * dim + i] = s;
            }
        }
        let chol = cholesky(dim, &inv)?;
        Some(DenseMetric { dim, inv, chol })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn inv(&self) -> &[f64] {
        &self.inv
    }

    pub fn chol(&self) -> &[f64] {
        &self.chol
    }

    /// `p = L⁻ᵀ z` by back substitution on `Lᵀ p = z`.
    #[inline]
    pub fn sample_momentum<R: Rng + ?Sized>(&self, rng: &mut R, p: &mut [f64]) {
        let n = self.dim;
        for pi in p.iter_mut() {
            *pi = rng.sample(StandardNormal);
        }
        for i in (0..n).rev() {
            let mut s = p[i];
            for k in i + 1..n {
                s -= self.chol[k * n + i] * p[k];
            }
            p[i] = s / self.chol[i * n + i];
        }
    }

    #[inline]
    pub fn velocity(&self, p: &[f64], v: &mut [f64]) {
        let n = self.dim;
        for (i, vi) in v.iter_mut().enumerate() {
            *vi = super::dot(&self.inv[i * n..(i + 1) * n], p);
        }
    }
}

/// Lower Cholesky factor of a symmetric positive definite row-major matrix.
pub(crate) fn cholesky(n: usize, a: &[f64]) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn cholesky_reconstructs() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let l = cholesky(3, &a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let s: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((s - a[i * 3 + j]).abs() < 1e-12);
            }
        }
        assert!(cholesky(2, &[1.0, 2.0, 2.0, 1.0]).is_none());
    }

    /// Momenta have covariance `M = Σ⁻¹` (so velocities have covariance Σ).
    #[test]
    fn momentum_covariance_is_inverse_of_sigma() {
        let sigma = vec![1.0, 0.9, 0.9, 2.0];
        let m = DenseMetric::from_inv(2, sigma.clone()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut p = [0.0; 2];
        let mut acc = [0.0; 3];
        let n = 200_000;
        for _ in 0..n {
            m.sample_momentum(&mut rng, &mut p);
            acc[0] += p[0] * p[0];
            acc[1] += p[0] * p[1];
            acc[2] += p[1] * p[1];
        }
        let det = 1.0 * 2.0 - 0.81;
        let minv = [2.0 / det, -0.9 / det, 1.0 / det];
        for k in 0..3 {
            let est = acc[k] / n as f64;
            assert!((est - minv[k]).abs() < 0.03 * minv[0], "{k}: {est} vs {}", minv[k]);
        }
    }
}
