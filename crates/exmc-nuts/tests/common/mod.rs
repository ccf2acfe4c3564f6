//! Hand-written test densities and MCSE-based checks shared by the
//! integration tests.
#![allow(dead_code)]

use exmc_core::{LogDensity, LogpError};
use exmc_nuts::{sample, MetricKind, RunOptions, SampleOutput, Settings};
use exmc_report::diag::{ess_mean, mcse_mean};

/// Standard normal in `d` dimensions.
#[derive(Clone)]
pub struct StdNormal(pub usize);
impl LogDensity<f64> for StdNormal {
    fn dim(&self) -> usize {
        self.0
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let mut lp = 0.0;
        for (gi, &xi) in g.iter_mut().zip(x) {
            *gi = -xi;
            lp -= 0.5 * xi * xi;
        }
        Ok(lp)
    }
}

/// Bivariate normal, unit variances, correlation `rho`.
#[derive(Clone)]
pub struct Corr2(pub f64);
impl LogDensity<f64> for Corr2 {
    fn dim(&self) -> usize {
        2
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let r = self.0;
        let det = 1.0 - r * r;
        g[0] = -(x[0] - r * x[1]) / det;
        g[1] = -(x[1] - r * x[0]) / det;
        Ok(0.5 * (x[0] * g[0] + x[1] * g[1]))
    }
}

/// HalfNormal(1) on `y = log x`: `log p(y) = −e^{2y}/2 + y` (Jacobian `+y`).
#[derive(Clone)]
pub struct HalfNormalLog;
impl LogDensity<f64> for HalfNormalLog {
    fn dim(&self) -> usize {
        1
    }
    fn logp_grad(&mut self, y: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let x = y[0].exp();
        g[0] = 1.0 - x * x;
        Ok(-0.5 * x * x + y[0])
    }
}

/// Exponential(rate λ) on `y = log x`: `log p(y) = log λ − λ e^y + y`.
#[derive(Clone)]
pub struct ExponentialLog(pub f64);
impl LogDensity<f64> for ExponentialLog {
    fn dim(&self) -> usize {
        1
    }
    fn logp_grad(&mut self, y: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let x = y[0].exp();
        g[0] = 1.0 - self.0 * x;
        Ok(self.0.ln() - self.0 * x + y[0])
    }
}

/// Beta(a, b) on `y = logit x`: `log p(y) = a log x + b log(1 − x) + const`.
#[derive(Clone)]
pub struct BetaLogit(pub f64, pub f64);
impl LogDensity<f64> for BetaLogit {
    fn dim(&self) -> usize {
        1
    }
    fn logp_grad(&mut self, y: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let (a, b) = (self.0, self.1);
        // log x = −log(1 + e^{−y}), log(1 − x) = −log(1 + e^{y}), stably.
        let log_x = -softplus(-y[0]);
        let log_1mx = -softplus(y[0]);
        let x = log_x.exp();
        g[0] = a * (1.0 - x) - b * x;
        Ok(a * log_x + b * log_1mx)
    }
}

fn softplus(t: f64) -> f64 {
    if t > 0.0 {
        t + (-t).exp().ln_1p()
    } else {
        t.exp().ln_1p()
    }
}

/// Normal mean `μ` with prior N(m0, s0²) and observations N(μ, σ²).
#[derive(Clone)]
pub struct NormalNormal {
    pub m0: f64,
    pub s0: f64,
    pub sigma: f64,
    pub y: Vec<f64>,
}
impl NormalNormal {
    /// Closed-form posterior `(mean, variance)`.
    pub fn posterior(&self) -> (f64, f64) {
        let prec = 1.0 / (self.s0 * self.s0) + self.y.len() as f64 / (self.sigma * self.sigma);
        let mean = (self.m0 / (self.s0 * self.s0) + self.y.iter().sum::<f64>() / (self.sigma * self.sigma)) / prec;
        (mean, 1.0 / prec)
    }
}
impl LogDensity<f64> for NormalNormal {
    fn dim(&self) -> usize {
        1
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let mu = x[0];
        let mut lp = -0.5 * ((mu - self.m0) / self.s0).powi(2);
        let mut gr = -(mu - self.m0) / (self.s0 * self.s0);
        for &yi in &self.y {
            lp -= 0.5 * ((yi - mu) / self.sigma).powi(2);
            gr += (yi - mu) / (self.sigma * self.sigma);
        }
        g[0] = gr;
        Ok(lp)
    }
}

pub fn settings(chains: usize, warmup: usize, draws: usize, seed: u64, metric: MetricKind) -> Settings {
    Settings { num_warmup: warmup, num_draws: draws, chains, seed, metric, ..Settings::default() }
}

pub fn run<D: LogDensity<f64> + Clone + Sync>(settings: &Settings, d: &D) -> SampleOutput {
    let out = sample(settings, |_| d.clone(), RunOptions::default()).expect("valid settings");
    assert!(out.all_completed(), "{:?}", out.failures());
    out
}

/// `f` applied to parameter `j` of each completed chain.
pub fn mapped(out: &SampleOutput, j: usize, f: impl Fn(f64) -> f64) -> Vec<Vec<f64>> {
    out.columns(j).into_iter().map(|c| c.into_iter().map(&f).collect()).collect()
}

/// A per-draw statistic over all coordinates of each chain.
pub fn per_draw(out: &SampleOutput, f: impl Fn(&[f64]) -> f64) -> Vec<Vec<f64>> {
    out.chains.iter().map(|c| (0..c.num_draws()).map(|i| f(c.draw(i))).collect()).collect()
}

/// The estimate of `E[f]`, its MCSE, its ESS and `z = (est − truth)/mcse`.
#[derive(Debug, Clone, Copy)]
pub struct ZCheck {
    pub estimate: f64,
    pub truth: f64,
    pub mcse: f64,
    pub ess: f64,
    pub z: f64,
}

pub fn zcheck(chains: &[Vec<f64>], truth: f64) -> ZCheck {
    let refs: Vec<&[f64]> = chains.iter().map(|c| c.as_slice()).collect();
    let n: usize = chains.iter().map(|c| c.len()).sum();
    let estimate = chains.iter().flatten().sum::<f64>() / n as f64;
    let mcse = mcse_mean(&refs);
    let ess = ess_mean(&refs);
    ZCheck { estimate, truth, mcse, ess, z: (estimate - truth) / mcse }
}

/// Asserts `|z| < 4` and prints the numbers (visible with `--nocapture`).
pub fn assert_z(label: &str, c: ZCheck) {
    println!(
        "{label:<40} est {:>10.5} truth {:>10.5} mcse {:.5} ess {:>8.0} z {:>6.2}",
        c.estimate, c.truth, c.mcse, c.ess, c.z
    );
    assert!(c.mcse.is_finite() && c.mcse > 0.0, "{label}: mcse {}", c.mcse);
    assert!(c.z.abs() < 4.0, "{label}: |z| = {:.2} ≥ 4 ({c:?})", c.z.abs());
}

/// Checks that a relative error of `rel` in `E[f]` would be caught: `4·mcse < rel·|truth|`.
pub fn assert_sensitive(label: &str, c: ZCheck, rel: f64) {
    assert!(
        4.0 * c.mcse < rel * c.truth.abs(),
        "{label}: too few draws to see a {:.0}% error (mcse {:.5}, truth {:.5})",
        rel * 100.0,
        c.mcse,
        c.truth
    );
}
