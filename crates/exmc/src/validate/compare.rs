//! Quantity-by-quantity comparison of our draws with a reference posterior
//! (the protocol of `shared/posteriordb/README.md`).
//!
//! For a quantity with pooled draws x (m chains):
//! * convergence: rank-normalised split R̂ < `max_rhat` and bulk ESS ≥
//!   `min_ess_bulk` (Vehtari et al. 2021);
//! * mean: `z = (mean − ref_mean) / sqrt(mcse² + ref_mcse²)` with
//!   `mcse = sd / sqrt(ess_bulk)` (the README's step 3); `|z| < max_abs_z`;
//! * scale: `sd / ref_sd` within `1 ± tol`, where
//!   `tol = max(sd_ratio_tol, noise_k · sqrt(mcse_sd² + ref_mcse_sd²) / ref_sd)`:
//!   0.1 unless the Monte Carlo error of the two sds says the comparison
//!   cannot be that precise (heavy tails), in which case the band widens to
//!   `noise_k` combined MCSEs and [`QuantityCheck::sd_widened`] says so.

use super::reference::ReferenceSummary;
use exmc_report::diag::{ess_bulk, mcse_sd, rhat};

/// Pass thresholds.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// R̂ must be below this (1.01).
    pub max_rhat: f64,
    /// Bulk ESS must be at least this (400).
    pub min_ess_bulk: f64,
    /// |z| of the mean must be below this (4: about a 1 % family-wise false
    /// alarm rate over the ~300 quantities of posteriordb's set).
    pub max_abs_z: f64,
    /// The sd ratio must lie in `1 ± sd_ratio_tol` (0.1) ...
    pub sd_ratio_tol: f64,
    /// ... or within this many combined MCSEs of the sds (4), whichever is wider.
    pub sd_noise_k: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { max_rhat: 1.01, min_ess_bulk: 400.0, max_abs_z: 4.0, sd_ratio_tol: 0.1, sd_noise_k: 4.0 }
    }
}

/// One reference quantity compared.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantityCheck {
    pub name: String,
    pub mean: f64,
    pub sd: f64,
    pub ref_mean: f64,
    pub ref_sd: f64,
    /// `sd / sqrt(ess_bulk)`.
    pub mcse_mean: f64,
    pub z: f64,
    /// `|mean − ref_mean| / ref_sd` (the coarse stat_comp_benchmarks check).
    pub mean_err_sd: f64,
    pub sd_ratio: f64,
    /// Half-width of the accepted sd-ratio band.
    pub sd_tol: f64,
    /// Whether the band is wider than `sd_ratio_tol` because of Monte Carlo noise.
    pub sd_widened: bool,
    /// `None` when undefined (e.g. constant draws).
    pub rhat: Option<f64>,
    pub ess_bulk: f64,
}

impl QuantityCheck {
    /// R̂ defined and below the threshold.
    pub fn rhat_ok(&self, t: &Thresholds) -> bool {
        self.rhat.is_some_and(|r| r < t.max_rhat)
    }
    /// Bulk ESS at least the threshold (false for NaN).
    pub fn ess_ok(&self, t: &Thresholds) -> bool {
        self.ess_bulk >= t.min_ess_bulk
    }
    /// |z| below the threshold (false for NaN).
    pub fn mean_ok(&self, t: &Thresholds) -> bool {
        self.z.abs() < t.max_abs_z
    }
    /// sd ratio within its band (false for NaN).
    pub fn sd_ok(&self) -> bool {
        (self.sd_ratio - 1.0).abs() <= self.sd_tol
    }

    /// Why this quantity fails, empty when it passes.
    pub fn failures(&self, t: &Thresholds) -> Vec<String> {
        let mut out = Vec::new();
        match self.rhat {
            Some(r) if r < t.max_rhat => {}
            Some(r) => out.push(format!("{}: R-hat {r:.3} ≥ {}", self.name, t.max_rhat)),
            None => out.push(format!("{}: R-hat undefined (non-finite or constant draws)", self.name)),
        }
        if !self.ess_ok(t) {
            out.push(format!("{}: bulk ESS {:.0} < {}", self.name, self.ess_bulk, t.min_ess_bulk));
        }
        if !self.mean_ok(t) {
            out.push(format!(
                "{}: mean {} vs reference {} (z = {:.2})",
                self.name,
                sig(self.mean),
                sig(self.ref_mean),
                self.z
            ));
        }
        if !self.sd_ok() {
            out.push(format!(
                "{}: sd {} vs reference {} (ratio {:.3}, accepted 1 ± {:.3})",
                self.name,
                sig(self.sd),
                sig(self.ref_sd),
                self.sd_ratio,
                self.sd_tol
            ));
        }
        out
    }
}

fn sig(x: f64) -> String {
    format!("{x:.4}")
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

/// Compares one quantity: `chains` are its draws per chain (equal lengths).
pub fn check_quantity(
    name: &str,
    chains: &[&[f64]],
    ref_mean: f64,
    ref_mcse_mean: f64,
    ref_sd: f64,
    ref_mcse_sd: f64,
    t: &Thresholds,
) -> QuantityCheck {
    let pooled: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
    let (mean, sd) = if pooled.len() >= 2 { mean_sd(&pooled) } else { (f64::NAN, f64::NAN) };
    let ess = ess_bulk(chains);
    let mcse = sd / ess.sqrt();
    let z = (mean - ref_mean) / (mcse * mcse + ref_mcse_mean * ref_mcse_mean).sqrt();
    let our_mcse_sd = mcse_sd(chains);
    let noise = t.sd_noise_k * (our_mcse_sd * our_mcse_sd + ref_mcse_sd * ref_mcse_sd).sqrt() / ref_sd;
    let sd_widened = noise > t.sd_ratio_tol;
    QuantityCheck {
        name: name.to_string(),
        mean,
        sd,
        ref_mean,
        ref_sd,
        mcse_mean: mcse,
        z,
        mean_err_sd: (mean - ref_mean).abs() / ref_sd,
        sd_ratio: sd / ref_sd,
        sd_tol: if sd_widened { noise } else { t.sd_ratio_tol },
        sd_widened,
        rhat: rhat(chains),
        ess_bulk: ess,
    }
}

/// Compares every reference quantity. `columns(name)` gives a quantity's
/// draws per chain, `None` when our program has no output of that name.
pub fn check_all<'a>(
    reference: &ReferenceSummary,
    columns: impl Fn(&str) -> Option<Vec<&'a [f64]>>,
    t: &Thresholds,
) -> Result<Vec<QuantityCheck>, String> {
    let mut out = Vec::with_capacity(reference.names.len());
    for (j, name) in reference.names.iter().enumerate() {
        let chains = columns(name).ok_or_else(|| {
            format!("reference quantity '{name}' is not an output of the program (parameters, transformed parameters, generated quantities)")
        })?;
        out.push(check_quantity(
            name,
            &chains,
            reference.mean[j],
            reference.mcse_mean[j],
            reference.sd[j],
            reference.mcse_sd[j],
            t,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};

    fn iid(mean: f64, sd: f64, chains: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let d = Normal::new(mean, sd).unwrap();
        (0..chains).map(|_| (0..n).map(|_| d.sample(&mut rng)).collect()).collect()
    }

    fn run(draws: &[Vec<f64>]) -> QuantityCheck {
        let s: Vec<&[f64]> = draws.iter().map(Vec::as_slice).collect();
        // reference: N(0, 1) from 10 000 independent draws
        check_quantity("x", &s, 0.0, 0.01, 1.0, 1.0 / (2.0f64 * 10_000.0).sqrt(), &Thresholds::default())
    }

    #[test]
    fn matching_draws_pass() {
        for seed in 0..5 {
            let c = run(&iid(0.0, 1.0, 4, 1000, seed));
            assert!(c.failures(&Thresholds::default()).is_empty(), "{:?}", c);
            assert!(c.z.abs() < 4.0 && (c.sd_ratio - 1.0).abs() < 0.1 && !c.sd_widened);
        }
    }

    #[test]
    fn a_shift_of_a_fifth_sd_fails_the_mean() {
        // mcse ≈ 1/sqrt(4000) ≈ 0.016, combined ≈ 0.019: z ≈ 10
        let c = run(&iid(0.2, 1.0, 4, 1000, 7));
        let f = c.failures(&Thresholds::default());
        assert!(c.z > 6.0, "{}", c.z);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("mean"), "{f:?}");
    }

    #[test]
    fn a_variance_of_138_percent_fails_the_scale() {
        // the predecessor's bug: N(0,1) sampled with variance 1.38 (sd 1.175)
        let c = run(&iid(0.0, 1.38f64.sqrt(), 4, 1000, 3));
        let f = c.failures(&Thresholds::default());
        assert!(f.iter().any(|m| m.contains("sd ")), "{f:?}");
        // and a 12 % too small sd as well
        let c = run(&iid(0.0, 0.88, 4, 1000, 4));
        assert!(c.failures(&Thresholds::default()).iter().any(|m| m.contains("ratio")));
    }

    #[test]
    fn stuck_chain_fails_convergence() {
        let mut d = iid(0.0, 1.0, 4, 1000, 5);
        d[3].iter_mut().for_each(|v| *v = *v * 0.1 + 3.0);
        let c = run(&d);
        let f = c.failures(&Thresholds::default());
        assert!(f.iter().any(|m| m.contains("R-hat")), "{f:?}");
    }

    #[test]
    fn autocorrelated_chains_fail_ess() {
        // AR(1) with rho = 0.99: ESS ≈ 4000 * 0.01 / 1.99 ≈ 20
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let e = Normal::new(0.0, (1.0f64 - 0.99 * 0.99).sqrt()).unwrap();
        let d: Vec<Vec<f64>> = (0..4)
            .map(|_| {
                let mut x = 0.0;
                (0..1000)
                    .map(|_| {
                        x = 0.99 * x + e.sample(&mut rng);
                        x
                    })
                    .collect()
            })
            .collect();
        let c = run(&d);
        assert!(c.ess_bulk < 100.0, "{}", c.ess_bulk);
        assert!(c.failures(&Thresholds::default()).iter().any(|m| m.contains("ESS")));
    }

    #[test]
    fn heavy_tails_widen_the_sd_band() {
        // Student-t with 3 dof: the sd estimate is very noisy.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let t = rand_distr::StudentT::new(3.0).unwrap();
        let d: Vec<Vec<f64>> = (0..4).map(|_| (0..1000).map(|_| t.sample(&mut rng)).collect()).collect();
        let s: Vec<&[f64]> = d.iter().map(Vec::as_slice).collect();
        let c = check_quantity("t", &s, 0.0, 0.017, 3f64.sqrt(), 0.2, &Thresholds::default());
        assert!(c.sd_widened && c.sd_tol > 0.1, "{c:?}");
    }

    #[test]
    fn nan_draws_fail_without_panic() {
        let mut d = iid(0.0, 1.0, 4, 100, 1);
        d[0][5] = f64::NAN;
        let c = run(&d);
        assert!(!c.failures(&Thresholds::default()).is_empty());
    }
}
