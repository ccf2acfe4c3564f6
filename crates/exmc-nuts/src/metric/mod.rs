//! The Euclidean metric (mass matrix) `M` of the kinetic energy `K(p) = ½ pᵀ M⁻¹ p`.
//!
//! We integrate in the original coordinates with the *inverse* metric `M⁻¹`
//! (Stan's convention), not in whitened coordinates: the sampler stores and
//! adapts `M⁻¹` (the posterior variance / covariance estimate), and needs
//! three operations from it — a momentum draw `p ~ N(0, M)`, the velocity
//! `v = M⁻¹ p` (Stan's `dtau_dp`, the `p_sharp` of the U-turn criterion) and
//! the kinetic energy `½ p·v`. The metric is an enum, not a trait object, so
//! the leapfrog loop is monomorphic code with one predictable branch.

mod dense;
mod diag;

pub use dense::DenseMetric;
pub use diag::DiagMetric;

use rand::Rng;

/// A Euclidean metric, given by its inverse `M⁻¹`.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    Diag(DiagMetric),
    Dense(DenseMetric),
}

/// The inverse metric as reported (CmdStan's "Diagonal elements of inverse
/// mass matrix" / the full matrix in the adaptation block).
#[derive(Clone, Debug, PartialEq)]
pub enum InvMetric {
    /// The diagonal of `M⁻¹`.
    Diag(Vec<f64>),
    /// `M⁻¹`, `dim × dim`, row-major.
    Dense { dim: usize, values: Vec<f64> },
}

impl Metric {
    /// The unit metric `M = I`.
    pub fn unit_diag(dim: usize) -> Metric {
        Metric::Diag(DiagMetric::unit(dim))
    }

    pub fn dim(&self) -> usize {
        match self {
            Metric::Diag(m) => m.dim(),
            Metric::Dense(m) => m.dim(),
        }
    }

    /// Draws `p ~ N(0, M)` into `p`.
    #[inline]
    pub fn sample_momentum<R: Rng + ?Sized>(&self, rng: &mut R, p: &mut [f64]) {
        match self {
            Metric::Diag(m) => m.sample_momentum(rng, p),
            Metric::Dense(m) => m.sample_momentum(rng, p),
        }
    }

    /// `v = M⁻¹ p`.
    #[inline]
    pub fn velocity(&self, p: &[f64], v: &mut [f64]) {
        match self {
            Metric::Diag(m) => m.velocity(p, v),
            Metric::Dense(m) => m.velocity(p, v),
        }
    }

    /// The inverse metric, for output.
    pub fn inv_metric(&self) -> InvMetric {
        match self {
            Metric::Diag(m) => InvMetric::Diag(m.inv().to_vec()),
            Metric::Dense(m) => InvMetric::Dense { dim: m.dim(), values: m.inv().to_vec() },
        }
    }
}

/// `Σ aᵢ bᵢ`, with 4 independent accumulators so that the loop vectorises
/// instead of waiting on one serial chain of additions.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    (acc[0] + acc[2]) + (acc[1] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    #[test]
    fn dot_matches_naive_for_all_remainders() {
        for n in 0..13 {
            let a: Vec<f64> = (0..n).map(|i| 0.5 + i as f64).collect();
            let b: Vec<f64> = (0..n).map(|i| 1.5 - 0.25 * i as f64).collect();
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((super::dot(&a, &b) - naive).abs() < 1e-12 * (1.0 + naive.abs()));
        }
    }
}
