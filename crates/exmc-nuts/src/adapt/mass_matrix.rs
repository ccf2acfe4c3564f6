//! Mass-matrix (metric) estimation over a slow warmup window.
//!
//! * [`MetricKind::Diag`] — Welford variance of the draws, shrunk towards
//!   `1e-3` as Stan does: `σ̂² = n/(n+5) · var + 1e-3 · 5/(n+5)`.
//! * [`MetricKind::Dense`] — Welford covariance, same shrinkage towards `1e-3·I`.
//! * [`MetricKind::GradDiag`] — nutpie's `σ̂² = sqrt(var(x) / var(∇log π))`
//!   (exact for Gaussians: var(x) = σ², var(∇) = 1/σ²), initialised before
//!   the first window from the first gradient, `σ̂² = 1/|∇log π(q0)|`.
//!
//! Draws of divergent transitions are not fed to the estimators.

use super::welford::{WelfordCov, WelfordVar};
use crate::metric::{DenseMetric, DiagMetric, Metric};
use crate::settings::MetricKind;

/// Bounds on a gradient-based variance estimate.
const GRAD_DIAG_MIN: f64 = 1e-20;
const GRAD_DIAG_MAX: f64 = 1e20;

#[derive(Clone, Debug, PartialEq)]
pub enum MassMatrixAdapt {
    Diag(WelfordVar),
    Dense(WelfordCov),
    GradDiag { draws: WelfordVar, grads: WelfordVar },
}

impl MassMatrixAdapt {
    pub fn new(kind: MetricKind, dim: usize) -> Self {
        match kind {
            MetricKind::Diag => MassMatrixAdapt::Diag(WelfordVar::new(dim)),
            MetricKind::Dense => MassMatrixAdapt::Dense(WelfordCov::new(dim)),
            MetricKind::GradDiag => {
                MassMatrixAdapt::GradDiag { draws: WelfordVar::new(dim), grads: WelfordVar::new(dim) }
            }
        }
    }

    /// The metric before any window: unit (dense identity for `Dense`), or
    /// `1/|∇log π(q0)|` for `GradDiag` (1 where the gradient is 0 or not finite).
    pub fn initial_metric(kind: MetricKind, grad0: &[f64]) -> Metric {
        let dim = grad0.len();
        match kind {
            MetricKind::Diag => Metric::unit_diag(dim),
            MetricKind::Dense => Metric::Dense(DenseMetric::identity(dim)),
            MetricKind::GradDiag => {
                let inv = grad0
                    .iter()
                    .map(|g| {
                        let v = 1.0 / g.abs();
                        if v.is_finite() && v > 0.0 {
                            v.clamp(GRAD_DIAG_MIN, GRAD_DIAG_MAX)
                        } else {
                            1.0
                        }
                    })
                    .collect();
                Metric::Diag(DiagMetric::from_inv(inv).unwrap_or_else(|| DiagMetric::unit(dim)))
            }
        }
    }

    /// Adds one warmup draw and its gradient.
    pub fn add(&mut self, q: &[f64], grad: &[f64]) {
        match self {
            MassMatrixAdapt::Diag(w) => w.add(q),
            MassMatrixAdapt::Dense(w) => w.add(q),
            MassMatrixAdapt::GradDiag { draws, grads } => {
                draws.add(q);
                grads.add(grad);
            }
        }
    }

    /// Draws collected in the current window.
    pub fn count(&self) -> usize {
        match self {
            MassMatrixAdapt::Diag(w) => w.count(),
            MassMatrixAdapt::Dense(w) => w.count(),
            MassMatrixAdapt::GradDiag { draws, .. } => draws.count(),
        }
    }

    /// The estimated metric from the current window, or `None` when it cannot
    /// be estimated (fewer than 2 draws, non-finite or not positive definite):
    /// the caller then keeps the old metric.
    pub fn estimate(&self) -> Option<Metric> {
        let shrink = |n: usize| {
            let n = n as f64;
            (n / (n + 5.0), 1e-3 * 5.0 / (n + 5.0))
        };
        match self {
            MassMatrixAdapt::Diag(w) => {
                let (a, b) = shrink(w.count());
                let var = w.variance()?.into_iter().map(|v| a * v + b).collect();
                DiagMetric::from_inv(var).map(Metric::Diag)
            }
            MassMatrixAdapt::Dense(w) => {
                let dim = (w.covariance()?.len() as f64).sqrt() as usize;
                let (a, b) = shrink(w.count());
                let mut cov: Vec<f64> = w.covariance()?.into_iter().map(|v| a * v).collect();
                for i in 0..dim {
                    cov[i * dim + i] += b;
                }
                DenseMetric::from_inv(dim, cov).map(Metric::Dense)
            }
            MassMatrixAdapt::GradDiag { draws, grads } => {
                let vx = draws.variance()?;
                let vg = grads.variance()?;
                let inv: Vec<f64> = vx
                    .iter()
                    .zip(&vg)
                    .map(|(x, g)| (x / g).sqrt().clamp(GRAD_DIAG_MIN, GRAD_DIAG_MAX))
                    .collect();
                DiagMetric::from_inv(inv).map(Metric::Diag)
            }
        }
    }

    /// Starts a new window.
    pub fn reset(&mut self) {
        match self {
            MassMatrixAdapt::Diag(w) => w.reset(),
            MassMatrixAdapt::Dense(w) => w.reset(),
            MassMatrixAdapt::GradDiag { draws, grads } => {
                draws.reset();
                grads.reset();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::InvMetric;

    #[test]
    fn diag_is_stan_regularised_variance() {
        let mut a = MassMatrixAdapt::new(MetricKind::Diag, 1);
        for x in [1.0, 2.0, 4.0, 7.0, 11.0] {
            a.add(&[x], &[0.0]);
        }
        let var = 16.5; // sample variance of the five values: 66 / 4
        let expect = 5.0 / 10.0 * var + 1e-3 * 5.0 / 10.0;
        match a.estimate().unwrap().inv_metric() {
            InvMetric::Diag(v) => assert!((v[0] - expect).abs() < 1e-12, "{v:?}"),
            other => panic!("{other:?}"),
        }
    }

    /// The dense estimate after a first window has the right shape and is
    /// usable (the predecessor's dense metric crashed here).
    #[test]
    fn dense_after_first_window_is_well_shaped() {
        let dim = 3;
        let mut a = MassMatrixAdapt::new(MetricKind::Dense, dim);
        assert!(a.estimate().is_none());
        for i in 0..25 {
            let t = i as f64;
            a.add(&[t.sin(), (2.0 * t).cos() + 0.5 * t.sin(), 0.1 * t], &[0.0; 3]);
        }
        let m = a.estimate().expect("positive definite");
        match m.inv_metric() {
            InvMetric::Dense { dim: d, values } => {
                assert_eq!(d, dim);
                assert_eq!(values.len(), dim * dim);
                for i in 0..dim {
                    for j in 0..dim {
                        assert_eq!(values[i * dim + j], values[j * dim + i]);
                    }
                }
            }
            other => panic!("{other:?}"),
        }
        // Degenerate window (all draws equal): the shrinkage keeps it PD.
        a.reset();
        for _ in 0..10 {
            a.add(&[1.0, 2.0, 3.0], &[0.0; 3]);
        }
        let m = a.estimate().expect("shrunk towards 1e-3 I");
        let InvMetric::Dense { values, .. } = m.inv_metric() else { panic!() };
        assert!((values[0] - 1e-3 * 5.0 / 15.0).abs() < 1e-15);
    }

    #[test]
    fn grad_diag_is_exact_on_a_gaussian() {
        // x ~ N(0, 9) ⇒ ∇ = −x/9; var(x)/var(∇) = 81 ⇒ σ̂² = 9.
        let mut a = MassMatrixAdapt::new(MetricKind::GradDiag, 1);
        for x in [-3.0, 1.0, 4.0, -0.5, 2.0] {
            a.add(&[x], &[-x / 9.0]);
        }
        let InvMetric::Diag(v) = a.estimate().unwrap().inv_metric() else { panic!() };
        assert!((v[0] - 9.0).abs() < 1e-9);
        let InvMetric::Diag(v0) = MassMatrixAdapt::initial_metric(MetricKind::GradDiag, &[-4.0, 0.0]).inv_metric()
        else {
            panic!()
        };
        assert_eq!(v0, vec![0.25, 1.0]);
    }
}
