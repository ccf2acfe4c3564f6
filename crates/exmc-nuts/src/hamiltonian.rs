//! Phase-space points and the leapfrog integrator.
//!
//! `H(q, p) = −log π(q) + ½ pᵀ M⁻¹ p`. The leapfrog step of (signed) size ε:
//! `p ← p + ½ε∇log π(q)`, `q ← q + ε M⁻¹p`, `p ← p + ½ε∇log π(q)`
//! (Leimkuhler & Reich 2004; Neal 2011, §5.2). One step is one gradient
//! evaluation; a negative ε integrates backwards in time with the momentum
//! kept in its forward-time orientation (as Stan does), so the U-turn
//! criterion sees the same momenta whatever the direction.

use crate::metric::{dot, Metric};
use exmc_core::{LogDensity, LogpError, LogpErrorKind};
use rand::Rng;

/// A point in phase space with everything derived from it cached.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Position (unconstrained parameters).
    pub q: Vec<f64>,
    /// Momentum.
    pub p: Vec<f64>,
    /// Velocity `v = M⁻¹ p` (Stan's `p_sharp`).
    pub v: Vec<f64>,
    /// `∇ log π(q)`.
    pub grad: Vec<f64>,
    /// `log π(q)`.
    pub logp: f64,
    /// `½ p·v`.
    pub kinetic: f64,
}

impl Point {
    pub fn new(dim: usize) -> Self {
        Point {
            q: vec![0.0; dim],
            p: vec![0.0; dim],
            v: vec![0.0; dim],
            grad: vec![0.0; dim],
            logp: 0.0,
            kinetic: 0.0,
        }
    }

    /// `H = −log π(q) + K(p)`; non-finite when the point is unusable.
    #[inline]
    pub fn energy(&self) -> f64 {
        self.kinetic - self.logp
    }

    /// Copies `other` into `self` without allocating.
    #[inline]
    pub fn copy_from(&mut self, other: &Point) {
        self.q.copy_from_slice(&other.q);
        self.p.copy_from_slice(&other.p);
        self.v.copy_from_slice(&other.v);
        self.grad.copy_from_slice(&other.grad);
        self.logp = other.logp;
        self.kinetic = other.kinetic;
    }

    /// Draws a fresh momentum `p ~ N(0, M)` and updates `v` and `K`.
    pub fn resample_momentum<R: Rng + ?Sized>(&mut self, rng: &mut R, metric: &Metric) {
        metric.sample_momentum(rng, &mut self.p);
        self.update_kinetic(metric);
    }

    /// Recomputes `v = M⁻¹ p` and `K = ½ p·v`.
    #[inline]
    pub fn update_kinetic(&mut self, metric: &Metric) {
        metric.velocity(&self.p, &mut self.v);
        self.kinetic = 0.5 * dot(&self.p, &self.v);
    }
}

/// A log density that counts its gradient evaluations.
pub struct Counted<D> {
    pub density: D,
    pub evals: u64,
}

impl<D: LogDensity<f64>> Counted<D> {
    pub fn new(density: D) -> Self {
        Counted { density, evals: 0 }
    }

    /// Evaluates `log π(q)` and its gradient into `point`.
    /// `Ok(true)`: finite; `Ok(false)`: a recoverable failure (non-finite value or
    /// gradient, or a `Recoverable` error; the point is then unusable);
    /// `Err`: a fatal error.
    #[inline]
    pub fn eval(&mut self, q: &[f64], grad: &mut [f64], logp: &mut f64) -> Result<bool, LogpError> {
        self.evals += 1;
        match self.density.logp_grad(q, grad) {
            Ok(lp) => {
                *logp = lp;
                Ok(lp.is_finite())
            }
            Err(e) if e.kind == LogpErrorKind::Recoverable => {
                *logp = f64::NEG_INFINITY;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Evaluates the density at `point.q` (keeping `p`); checks the gradient too.
    pub fn eval_point(&mut self, point: &mut Point) -> Result<bool, LogpError> {
        let ok = self.eval(&point.q, &mut point.grad, &mut point.logp)?;
        Ok(ok && point.grad.iter().all(|g| g.is_finite()))
    }
}

/// One leapfrog step of signed size `eps`, in place.
///
/// Returns `Ok(true)` when the new energy is finite, `Ok(false)` when the
/// density failed recoverably or produced non-finite numbers (the caller
/// counts a divergence; the point must not be used again), `Err` when fatal.
#[inline]
pub fn leapfrog<D: LogDensity<f64>>(
    density: &mut Counted<D>,
    metric: &Metric,
    z: &mut Point,
    eps: f64,
) -> Result<bool, LogpError> {
    let half = 0.5 * eps;
    match metric {
        Metric::Diag(m) => {
            let inv = m.inv();
            for i in 0..z.q.len() {
                let p = z.p[i] + half * z.grad[i];
                z.p[i] = p;
                z.q[i] += eps * inv[i] * p;
            }
        }
        Metric::Dense(m) => {
            for (p, g) in z.p.iter_mut().zip(&z.grad) {
                *p += half * g;
            }
            m.velocity(&z.p, &mut z.v);
            for (q, v) in z.q.iter_mut().zip(&z.v) {
                *q += eps * v;
            }
        }
    }
    let ok = density.eval(&z.q, &mut z.grad, &mut z.logp)?;
    if !ok {
        z.kinetic = f64::INFINITY;
        return Ok(false);
    }
    match metric {
        Metric::Diag(m) => {
            let inv = m.inv();
            for i in 0..z.q.len() {
                let p = z.p[i] + half * z.grad[i];
                z.p[i] = p;
                z.v[i] = inv[i] * p;
            }
            z.kinetic = 0.5 * dot(&z.p, &z.v);
        }
        Metric::Dense(_) => {
            for (p, g) in z.p.iter_mut().zip(&z.grad) {
                *p += half * g;
            }
            z.update_kinetic(metric);
        }
    }
    Ok(z.energy().is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::{DenseMetric, DiagMetric};

    /// Correlated Gaussian `N(0, S)` with `S = [[1, ρ], [ρ, 1]]`, ρ = 0.8.
    struct Gauss2;
    impl LogDensity<f64> for Gauss2 {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            let r = 0.8;
            let det = 1.0 - r * r;
            // S⁻¹ = [[1, −ρ], [−ρ, 1]] / det
            g[0] = -(x[0] - r * x[1]) / det;
            g[1] = -(x[1] - r * x[0]) / det;
            Ok(0.5 * (x[0] * g[0] + x[1] * g[1]))
        }
    }

    fn start(metric: &Metric, d: &mut Counted<Gauss2>) -> Point {
        let mut z = Point::new(2);
        z.q.copy_from_slice(&[0.7, -1.3]);
        z.p.copy_from_slice(&[0.4, 1.1]);
        assert!(d.eval_point(&mut z).unwrap());
        z.update_kinetic(metric);
        z
    }

    fn metrics() -> Vec<Metric> {
        vec![
            Metric::unit_diag(2),
            Metric::Diag(DiagMetric::from_inv(vec![0.5, 2.0]).unwrap()),
            Metric::Dense(DenseMetric::from_inv(2, vec![1.0, 0.6, 0.6, 1.5]).unwrap()),
        ]
    }

    #[test]
    fn leapfrog_is_reversible() {
        for metric in metrics() {
            let mut d = Counted::new(Gauss2);
            let z0 = start(&metric, &mut d);
            let mut z = z0.clone();
            for _ in 0..50 {
                assert!(leapfrog(&mut d, &metric, &mut z, 0.1).unwrap());
            }
            // Flip the momentum, integrate forward again: back to the start.
            for p in z.p.iter_mut() {
                *p = -*p;
            }
            for _ in 0..50 {
                assert!(leapfrog(&mut d, &metric, &mut z, 0.1).unwrap());
            }
            for i in 0..2 {
                assert!((z.q[i] - z0.q[i]).abs() < 1e-10, "{metric:?}");
                assert!((z.p[i] + z0.p[i]).abs() < 1e-10, "{metric:?}");
            }
            // Negative step size from the end also returns to the start.
            let mut z = z0.clone();
            for _ in 0..50 {
                leapfrog(&mut d, &metric, &mut z, 0.1).unwrap();
            }
            for _ in 0..50 {
                leapfrog(&mut d, &metric, &mut z, -0.1).unwrap();
            }
            for i in 0..2 {
                assert!((z.q[i] - z0.q[i]).abs() < 1e-10);
                assert!((z.p[i] - z0.p[i]).abs() < 1e-10);
            }
            assert_eq!(d.evals, 201);
        }
    }

    /// The energy error after a fixed integration time T is O(ε²): halving ε
    /// divides it by about 4.
    #[test]
    fn energy_error_is_second_order() {
        for metric in metrics() {
            let mut d = Counted::new(Gauss2);
            let z0 = start(&metric, &mut d);
            let err = |eps: f64, d: &mut Counted<Gauss2>| {
                let mut z = z0.clone();
                let n = (1.0 / eps).round() as usize;
                let mut worst: f64 = 0.0;
                for _ in 0..n {
                    leapfrog(d, &metric, &mut z, eps).unwrap();
                    worst = worst.max((z.energy() - z0.energy()).abs());
                }
                worst
            };
            let e1 = err(0.02, &mut d);
            let e2 = err(0.01, &mut d);
            assert!(e1 < 1e-2, "{e1}");
            let ratio = e1 / e2;
            assert!((3.5..4.5).contains(&ratio), "ratio {ratio} for {metric:?}");
        }
    }

    /// The leapfrog map (q, p) → (q', p') preserves volume: its Jacobian
    /// determinant, by central finite differences, is 1.
    #[test]
    fn leapfrog_preserves_volume() {
        for metric in metrics() {
            let mut d = Counted::new(Gauss2);
            let z0 = start(&metric, &mut d);
            let map = |x: [f64; 4], d: &mut Counted<Gauss2>| -> [f64; 4] {
                let mut z = z0.clone();
                z.q.copy_from_slice(&x[..2]);
                z.p.copy_from_slice(&x[2..]);
                d.eval_point(&mut z).unwrap();
                z.update_kinetic(&metric);
                for _ in 0..7 {
                    leapfrog(d, &metric, &mut z, 0.3).unwrap();
                }
                [z.q[0], z.q[1], z.p[0], z.p[1]]
            };
            let x0 = [z0.q[0], z0.q[1], z0.p[0], z0.p[1]];
            let h = 1e-5;
            let mut jac = [[0.0; 4]; 4];
            for j in 0..4 {
                let (mut xp, mut xm) = (x0, x0);
                xp[j] += h;
                xm[j] -= h;
                let (fp, fm) = (map(xp, &mut d), map(xm, &mut d));
                for i in 0..4 {
                    jac[i][j] = (fp[i] - fm[i]) / (2.0 * h);
                }
            }
            let det = det4(jac);
            assert!((det - 1.0).abs() < 1e-6, "det {det} for {metric:?}");
        }
    }

    fn det4(m: [[f64; 4]; 4]) -> f64 {
        // Gaussian elimination with partial pivoting.
        let mut a = m;
        let mut det = 1.0;
        for c in 0..4 {
            let piv = (c..4).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap();
            if piv != c {
                a.swap(piv, c);
                det = -det;
            }
            det *= a[c][c];
            for r in c + 1..4 {
                let f = a[r][c] / a[c][c];
                for k in c..4 {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        det
    }

    struct Fails;
    impl LogDensity<f64> for Fails {
        fn dim(&self) -> usize {
            1
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            if x[0] > 1.0 {
                return Err(LogpError::recoverable("x > 1"));
            }
            if x[0] < -1.0 {
                g[0] = f64::NAN;
                return Ok(0.0);
            }
            if x[0] == 0.5 {
                return Err(LogpError::fatal("boom"));
            }
            g[0] = -x[0];
            Ok(-0.5 * x[0] * x[0])
        }
    }

    #[test]
    fn failures_are_reported_not_panicked() {
        let metric = Metric::unit_diag(1);
        let mut d = Counted::new(Fails);
        let mut z = Point::new(1);
        z.q[0] = 0.9;
        z.p[0] = 10.0;
        d.eval_point(&mut z).unwrap();
        z.update_kinetic(&metric);
        assert!(!leapfrog(&mut d, &metric, &mut z, 0.1).unwrap());
        let mut z = Point::new(1);
        z.q[0] = -0.9;
        z.p[0] = -10.0;
        d.eval_point(&mut z).unwrap();
        z.update_kinetic(&metric);
        assert!(!leapfrog(&mut d, &metric, &mut z, 0.1).unwrap());
        let mut z = Point::new(1);
        z.q[0] = 0.5;
        assert!(d.eval_point(&mut z).is_err());
    }
}
