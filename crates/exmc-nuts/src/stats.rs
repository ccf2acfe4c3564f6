//! Per-draw sampler statistics (Stan's names) and per-chain results.

use crate::metric::InvMetric;

/// Statistics of one iteration. CSV column names: [`DrawStats::NAMES`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawStats {
    /// `lp__`: log density at the draw (unconstrained scale, with Jacobian).
    pub lp: f64,
    /// `accept_stat__`.
    pub accept_stat: f64,
    /// `stepsize__`: the step size this transition used.
    pub step_size: f64,
    /// `treedepth__`.
    pub tree_depth: u32,
    /// `n_leapfrog__`.
    pub n_leapfrog: u64,
    /// `divergent__`.
    pub divergent: bool,
    /// `energy__`: the Hamiltonian at the draw.
    pub energy: f64,
    /// `H(draw) − H(start)` of the transition (nutpie's `energy_error`).
    pub energy_error: f64,
    /// Whether the draw was made during warmup.
    pub warmup: bool,
}

impl DrawStats {
    /// Stan's sampler column names, in CmdStan's order.
    pub const NAMES: [&'static str; 7] =
        ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];

    /// The values of [`DrawStats::NAMES`], as CmdStan writes them.
    pub fn stan_values(&self) -> [f64; 7] {
        [
            self.lp,
            self.accept_stat,
            self.step_size,
            self.tree_depth as f64,
            self.n_leapfrog as f64,
            self.divergent as u8 as f64,
            self.energy,
        ]
    }
}

/// How a chain ended.
#[derive(Clone, Debug, PartialEq)]
pub enum ChainStatus {
    Completed,
    /// Stopped by an error: initialisation, a fatal log-density error, a
    /// panic, or a failed step-size search. The message says which.
    Failed(String),
    /// Stopped by the cancel flag; the draws so far are kept.
    Cancelled,
}

/// Everything one chain produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainResult {
    pub chain: usize,
    pub dim: usize,
    /// Sampling draws, unconstrained positions, row-major (`draws × dim`).
    pub draws: Vec<f64>,
    pub stats: Vec<DrawStats>,
    /// Warmup draws and statistics (only with `save_warmup`).
    pub warmup_draws: Vec<f64>,
    pub warmup_stats: Vec<DrawStats>,
    /// Step size after warmup (the one used for sampling).
    pub step_size: f64,
    /// Inverse metric after warmup.
    pub inv_metric: Option<InvMetric>,
    pub warmup_seconds: f64,
    pub sampling_seconds: f64,
    /// Log-density + gradient evaluations (all phases).
    pub grad_evals: u64,
    pub divergences_warmup: usize,
    pub divergences_sampling: usize,
    pub status: ChainStatus,
}

impl ChainResult {
    pub fn new(chain: usize, dim: usize) -> Self {
        ChainResult {
            chain,
            dim,
            draws: Vec::new(),
            stats: Vec::new(),
            warmup_draws: Vec::new(),
            warmup_stats: Vec::new(),
            step_size: f64::NAN,
            inv_metric: None,
            warmup_seconds: 0.0,
            sampling_seconds: 0.0,
            grad_evals: 0,
            divergences_warmup: 0,
            divergences_sampling: 0,
            status: ChainStatus::Failed("not started".into()),
        }
    }

    /// Number of sampling draws kept.
    pub fn num_draws(&self) -> usize {
        self.stats.len()
    }

    /// Draw `i` (a row of `dim` values).
    pub fn draw(&self, i: usize) -> &[f64] {
        &self.draws[i * self.dim..(i + 1) * self.dim]
    }

    /// All sampling draws of parameter `j`.
    pub fn column(&self, j: usize) -> Vec<f64> {
        self.draws.iter().skip(j).step_by(self.dim.max(1)).copied().collect()
    }

    pub fn is_completed(&self) -> bool {
        self.status == ChainStatus::Completed
    }
}
