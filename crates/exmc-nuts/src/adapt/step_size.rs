//! Step-size adaptation: Nesterov dual averaging (Hoffman & Gelman 2014,
//! Alg. 5, as in Stan's `stepsize_adaptation`) and Stan's heuristic search
//! for a reasonable initial step size.

use crate::hamiltonian::{leapfrog, Counted, Point};
use crate::kernel::State;
use crate::metric::Metric;
use exmc_core::{LogDensity, LogpError};
use rand::Rng;

/// Dual averaging of `log ε` towards a mean acceptance statistic `δ`.
///
/// With `t` updates so far and `a_t` the accept statistic:
/// `s̄_t = (1 − 1/(t+t0)) s̄_{t−1} + (δ − a_t)/(t+t0)`,
/// `x_t = μ − √t s̄_t / γ`, `x̄_t = t^{−κ} x_t + (1 − t^{−κ}) x̄_{t−1}`;
/// ε during warmup is `exp(x_t)`, after warmup `exp(x̄_t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct DualAveraging {
    pub target: f64,
    pub gamma: f64,
    pub t0: f64,
    pub kappa: f64,
    pub mu: f64,
    counter: f64,
    s_bar: f64,
    x_bar: f64,
}

impl DualAveraging {
    /// Stan's constants (γ = 0.05, t0 = 10, κ = 0.75) and `μ = log(10 ε0)`.
    pub fn new(target: f64, eps0: f64) -> Self {
        DualAveraging {
            target,
            gamma: 0.05,
            t0: 10.0,
            kappa: 0.75,
            mu: (10.0 * eps0).ln(),
            counter: 0.0,
            s_bar: 0.0,
            x_bar: 0.0,
        }
    }

    /// Restarts the averages with `μ = log(10 ε)` (after a metric update).
    pub fn restart(&mut self, eps: f64) {
        self.mu = (10.0 * eps).ln();
        self.counter = 0.0;
        self.s_bar = 0.0;
        self.x_bar = 0.0;
    }

    /// Feeds one accept statistic; returns the step size to use next.
    pub fn update(&mut self, accept_stat: f64) -> f64 {
        let a = if accept_stat.is_nan() { 0.0 } else { accept_stat.min(1.0) };
        self.counter += 1.0;
        let t = self.counter;
        let eta = 1.0 / (t + self.t0);
        self.s_bar = (1.0 - eta) * self.s_bar + eta * (self.target - a);
        let x = self.mu - self.s_bar * t.sqrt() / self.gamma;
        let x_eta = t.powf(-self.kappa);
        self.x_bar = (1.0 - x_eta) * self.x_bar + x_eta * x;
        x.exp()
    }

    /// The step size after warmup, `exp(x̄)`.
    pub fn final_step_size(&self) -> f64 {
        self.x_bar.exp()
    }
}

/// Stan's `init_stepsize`: from `eps`, double (or halve) the step size until
/// the one-step acceptance `exp(H0 − H)` crosses 0.8, with a fresh momentum
/// each try. Errors: the step size exploded (improper posterior), vanished
/// (no finite step found), or the density failed fatally.
pub fn find_reasonable_step_size<D: LogDensity<f64>, R: Rng + ?Sized>(
    density: &mut Counted<D>,
    metric: &Metric,
    state: &State,
    rng: &mut R,
    eps: f64,
) -> Result<f64, StepSizeError> {
    if !(eps.is_finite() && eps > 0.0 && eps <= 1e7) {
        return Ok(eps);
    }
    let mut eps = eps;
    let mut z = Point::new(state.q.len());
    let threshold = 0.8f64.ln();
    let mut one_step = |eps: f64, z: &mut Point, rng: &mut R| -> Result<f64, LogpError> {
        z.q.copy_from_slice(&state.q);
        z.grad.copy_from_slice(&state.grad);
        z.logp = state.logp;
        z.resample_momentum(rng, metric);
        let h0 = z.energy();
        let ok = leapfrog(density, metric, z, eps)?;
        let h = if ok { z.energy() } else { f64::INFINITY };
        Ok(h0 - h) // −∞ when unusable, never NaN
    };
    let delta = one_step(eps, &mut z, rng).map_err(StepSizeError::Fatal)?;
    let up = delta > threshold;
    loop {
        let delta = one_step(eps, &mut z, rng).map_err(StepSizeError::Fatal)?;
        if up && !(delta > threshold) || !up && !(delta < threshold) {
            return Ok(eps);
        }
        eps = if up { eps * 2.0 } else { eps * 0.5 };
        if eps > 1e7 {
            return Err(StepSizeError::Improper);
        }
        if eps == 0.0 {
            return Err(StepSizeError::Vanished);
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepSizeError {
    Improper,
    Vanished,
    Fatal(LogpError),
}

impl std::fmt::Display for StepSizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepSizeError::Improper => write!(
                f,
                "step-size search: the step size grew past 1e7; the posterior is probably improper (check the model)"
            ),
            StepSizeError::Vanished => write!(
                f,
                "step-size search: no acceptably small step size could be found; is the posterior continuous?"
            ),
            StepSizeError::Fatal(e) => write!(f, "step-size search: log density failed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exmc_core::LogpError;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn dual_averaging_converges_on_a_known_acceptance_curve() {
        // Suppose acceptance = exp(−ε²) (true for tiny Gaussians roughly): the
        // fixed point with δ = 0.8 is ε* = sqrt(−ln 0.8).
        let mut da = DualAveraging::new(0.8, 1.0);
        let mut eps: f64 = 1.0;
        for _ in 0..2000 {
            eps = da.update((-eps * eps).exp());
        }
        let target = (-(0.8f64).ln()).sqrt();
        assert!((da.final_step_size() - target).abs() < 0.01 * target, "{}", da.final_step_size());
        assert!((eps - target).abs() < 0.05 * target);
    }

    #[test]
    fn dual_averaging_first_step_is_stan() {
        // t = 1: s̄ = (δ − a)/11, x = μ − s̄/γ, x̄ = x.
        let mut da = DualAveraging::new(0.8, 0.5);
        let eps = da.update(0.3);
        let x: f64 = (5.0f64).ln() - (0.5 / 11.0) / 0.05;
        assert!((eps - x.exp()).abs() < 1e-12);
        assert!((da.final_step_size() - x.exp()).abs() < 1e-12);
        assert!(da.update(f64::NAN).is_finite());
    }

    struct Gauss(f64);
    impl LogDensity<f64> for Gauss {
        fn dim(&self) -> usize {
            1
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            g[0] = -x[0] / (self.0 * self.0);
            Ok(-0.5 * x[0] * x[0] / (self.0 * self.0))
        }
    }

    #[test]
    fn search_scales_with_the_posterior_width() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let metric = Metric::unit_diag(1);
        let mut found = vec![];
        for sd in [0.01, 1.0, 100.0] {
            let mut d = Counted::new(Gauss(sd));
            let state = State { q: vec![0.1 * sd], grad: vec![-0.1 / sd], logp: -0.005 };
            found.push(find_reasonable_step_size(&mut d, &metric, &state, &mut rng, 1.0).unwrap());
        }
        assert!(found[0] < 0.1 && found[2] > 10.0, "{found:?}");
    }

    struct Flat;
    impl LogDensity<f64> for Flat {
        fn dim(&self) -> usize {
            1
        }
        fn logp_grad(&mut self, _: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            g[0] = 0.0;
            Ok(0.0)
        }
    }

    #[test]
    fn improper_posterior_is_an_error() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut d = Counted::new(Flat);
        let state = State { q: vec![0.0], grad: vec![0.0], logp: 0.0 };
        let r = find_reasonable_step_size(&mut d, &Metric::unit_diag(1), &state, &mut rng, 1.0);
        assert_eq!(r, Err(StepSizeError::Improper));
    }
}
