//! Sampler settings (CmdStan's names and defaults where they exist).

use std::fmt;

/// Which mass matrix (metric) warmup estimates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MetricKind {
    /// Diagonal, from the Welford variance of the draws in each slow window
    /// (Stan's `diag_e`, the default).
    #[default]
    Diag,
    /// Dense, from the Welford covariance of the draws in each slow window
    /// (Stan's `dense_e`).
    Dense,
    /// Diagonal from draws *and* gradients, `sqrt(var(x) / var(∇logp))`,
    /// initialised from the first gradient as `1/|∇logp|` (nutpie).
    GradDiag,
}

/// Where each chain starts.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Init {
    /// Uniform(−radius, radius) on the unconstrained scale, retried up to 100
    /// times until the log density and its gradient are finite (Stan: radius 2).
    #[default]
    Random,
    /// Uniform(−radius, radius) with a user radius (`radius = 0` starts at 0).
    RandomRadius(f64),
    /// A user-given unconstrained vector, the same for every chain.
    Given(Vec<f64>),
    /// One user-given unconstrained vector per chain.
    PerChain(Vec<Vec<f64>>),
}

/// Everything a run needs to know besides the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Warmup (adaptation) iterations per chain (1000).
    pub num_warmup: usize,
    /// Sampling iterations per chain after warmup (1000).
    pub num_draws: usize,
    /// Number of chains (4).
    pub chains: usize,
    /// Seed of every chain's ChaCha8 stream (the stream number is the chain index).
    pub seed: u64,
    /// Dual-averaging target for the mean acceptance statistic δ (0.8).
    pub target_accept: f64,
    /// Maximum tree depth: at most 2^max_depth − 1 leapfrog steps (10).
    pub max_depth: usize,
    /// An energy error H − H0 above this is a divergence (1000).
    pub max_energy_error: f64,
    /// Mass matrix estimated during warmup.
    pub metric: MetricKind,
    /// Initial step size before the first heuristic search (1).
    pub init_step_size: f64,
    /// Initial point.
    pub init: Init,
    /// Keep warmup draws and their statistics in the results / send them to the sink.
    pub save_warmup: bool,
    /// Worker threads; `0` means `min(chains, available_parallelism)`.
    /// Results do not depend on it.
    pub threads: usize,
    /// TEST ONLY: reproduces the predecessor's bug of drawing the proposal from a
    /// subtree that diverged or U-turned. Never set it outside tests.
    #[doc(hidden)]
    pub unsound_merge_invalid_subtrees: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            num_warmup: 1000,
            num_draws: 1000,
            chains: 4,
            seed: 0,
            target_accept: 0.8,
            max_depth: 10,
            max_energy_error: 1000.0,
            metric: MetricKind::Diag,
            init_step_size: 1.0,
            init: Init::Random,
            save_warmup: false,
            threads: 0,
            unsound_merge_invalid_subtrees: false,
        }
    }
}

/// A setting that cannot be used, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsError(pub String);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid sampler settings: {}", self.0)
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// Checks the settings against a model of dimension `dim`.
    pub fn validate(&self, dim: usize) -> Result<(), SettingsError> {
        let err = |m: String| Err(SettingsError(m));
        if dim == 0 {
            return err("the model has no parameters (dimension 0): nothing to sample".into());
        }
        if self.chains == 0 {
            return err("chains must be at least 1".into());
        }
        if !(self.target_accept > 0.0 && self.target_accept < 1.0) {
            return err(format!("target_accept must be in (0, 1), got {}", self.target_accept));
        }
        if self.max_depth == 0 || self.max_depth > 30 {
            return err(format!("max_depth must be in 1..=30, got {}", self.max_depth));
        }
        if !(self.max_energy_error > 0.0) {
            return err(format!("max_energy_error must be > 0, got {}", self.max_energy_error));
        }
        if !(self.init_step_size.is_finite() && self.init_step_size > 0.0) {
            return err(format!("init_step_size must be finite and > 0, got {}", self.init_step_size));
        }
        let check_vec = |v: &[f64], what: &str| -> Result<(), SettingsError> {
            if v.len() != dim {
                return Err(SettingsError(format!(
                    "{what} has length {} but the model has dimension {dim}",
                    v.len()
                )));
            }
            if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                return Err(SettingsError(format!("{what}[{i}] = {} is not finite", v[i])));
            }
            Ok(())
        };
        match &self.init {
            Init::Random => {}
            Init::RandomRadius(r) => {
                if !(r.is_finite() && *r >= 0.0) {
                    return err(format!("init radius must be finite and ≥ 0, got {r}"));
                }
            }
            Init::Given(v) => check_vec(v, "initial point")?,
            Init::PerChain(vs) => {
                if vs.len() != self.chains {
                    return err(format!(
                        "{} initial points given for {} chains",
                        vs.len(),
                        self.chains
                    ));
                }
                for (c, v) in vs.iter().enumerate() {
                    check_vec(v, &format!("initial point of chain {c}"))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_stan_defaults() {
        let s = Settings::default();
        assert_eq!((s.num_warmup, s.num_draws, s.chains, s.max_depth), (1000, 1000, 4, 10));
        assert_eq!(s.target_accept, 0.8);
        assert_eq!(s.metric, MetricKind::Diag);
        assert!(s.validate(3).is_ok());
    }

    #[test]
    fn bad_settings_are_named() {
        let s = Settings { target_accept: 1.0, ..Settings::default() };
        assert!(s.validate(2).unwrap_err().0.contains("target_accept"));
        let s = Settings { init: Init::Given(vec![0.0; 3]), ..Settings::default() };
        assert!(s.validate(2).unwrap_err().0.contains("length 3"));
        let s = Settings { init: Init::Given(vec![0.0, f64::NAN]), ..Settings::default() };
        assert!(s.validate(2).unwrap_err().0.contains("[1]"));
        assert!(Settings::default().validate(0).is_err());
    }
}
