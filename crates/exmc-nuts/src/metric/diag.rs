//! Diagonal metric: `M⁻¹ = diag(σ²)`.

use rand::Rng;
use rand_distr::StandardNormal;

#[derive(Clone, Debug, PartialEq)]
pub struct DiagMetric {
    /// Diagonal of `M⁻¹` (variances).
    inv: Vec<f64>,
    /// `1/sqrt(inv)`: momentum scale, `p = z / σ`.
    p_scale: Vec<f64>,
}

impl DiagMetric {
    pub fn unit(dim: usize) -> Self {
        DiagMetric { inv: vec![1.0; dim], p_scale: vec![1.0; dim] }
    }

    /// From the diagonal of `M⁻¹`; `None` unless every entry is finite and > 0.
    pub fn from_inv(inv: Vec<f64>) -> Option<Self> {
        if inv.iter().any(|&x| !(x.is_finite() && x > 0.0)) {
            return None;
        }
        let p_scale = inv.iter().map(|&x| 1.0 / x.sqrt()).collect();
        Some(DiagMetric { inv, p_scale })
    }

    pub fn dim(&self) -> usize {
        self.inv.len()
    }

    pub fn inv(&self) -> &[f64] {
        &self.inv
    }

    #[inline]
    pub fn sample_momentum<R: Rng + ?Sized>(&self, rng: &mut R, p: &mut [f64]) {
        for (pi, s) in p.iter_mut().zip(&self.p_scale) {
            let z: f64 = rng.sample(StandardNormal);
            *pi = z * s;
        }
    }

    #[inline]
    pub fn velocity(&self, p: &[f64], v: &mut [f64]) {
        for ((vi, pi), m) in v.iter_mut().zip(p).zip(&self.inv) {
            *vi = m * pi;
        }
    }
}
