//! MCMC convergence diagnostics, matching ArviZ 0.23 (`arviz.ess`, `arviz.rhat`,
//! `arviz.mcse`, `arviz.bfmi`) to rounding.
//!
//! Every function takes `chains: &[&[f64]]`, one slice per chain, all of one length.
//!
//! **Undefined results.** Where ArviZ answers NaN we answer NaN (or `None` for
//! [`rhat`]), never a made-up number and never a panic:
//! - no chains, chains of unequal length, or fewer than 4 draws per chain;
//! - any non-finite value (NaN or ±∞) in the draws (ArviZ checks only NaN; an
//!   infinite draw makes the mean and sd meaningless, so we treat it the same);
//! - R-hat with fewer than 2 chains, or when the within-chain variance is zero
//!   (e.g. a constant parameter).
//!
//! Constant draws follow ArviZ: ESS is the number of draws (`m·n`), R-hat is `None`,
//! MCSE is NaN for the sd (0/0) and 0 for the mean.

mod autocov;
mod geyer;
mod rhat;
mod transform;

pub use autocov::autocov;

use crate::special::beta_ppf;
use geyer::{ess_raw, variance_ddof1};
use transform::{fold, indicator_le, mquantile_sorted, quantile_sorted, sorted, split, z_scale, Chains};

/// Copies the chains when they are usable for diagnostics: at least one chain, at least
/// 4 draws each, equal lengths, all values finite.
fn valid(chains: &[&[f64]]) -> Option<Chains> {
    let n = chains.first()?.len();
    if n < 4 || chains.iter().any(|c| c.len() != n || c.iter().any(|v| !v.is_finite())) {
        return None;
    }
    Some(chains.iter().map(|c| c.to_vec()).collect())
}

fn flat(chains: &Chains) -> Vec<f64> {
    chains.iter().flatten().copied().collect()
}

/// Bulk ESS: ESS of the rank-normalised split chains (Vehtari et al. 2021, eq. 14).
pub fn ess_bulk(chains: &[&[f64]]) -> f64 {
    match valid(chains) {
        Some(c) => ess_raw(&z_scale(&split(&c))),
        None => f64::NAN,
    }
}

/// Tail ESS: `min(ess_quantile(0.05), ess_quantile(0.95))`.
pub fn ess_tail(chains: &[&[f64]]) -> f64 {
    let lo = ess_quantile(chains, 0.05);
    let hi = ess_quantile(chains, 0.95);
    if lo.is_nan() || hi.is_nan() {
        f64::NAN
    } else {
        lo.min(hi)
    }
}

/// ESS for the mean: ESS of the split chains without rank normalisation
/// (ArviZ `method="mean"`, the classic split-ESS).
pub fn ess_mean(chains: &[&[f64]]) -> f64 {
    match valid(chains) {
        Some(c) => ess_raw(&split(&c)),
        None => f64::NAN,
    }
}

/// ESS for the quantile `prob`: ESS of the split indicator chains `I(x ≤ q̂_prob)`.
/// NaN for `prob` outside [0, 1].
pub fn ess_quantile(chains: &[&[f64]], prob: f64) -> f64 {
    let Some(c) = valid(chains) else { return f64::NAN };
    if !(0.0..=1.0).contains(&prob) {
        return f64::NAN;
    }
    let q = mquantile_sorted(&sorted(&flat(&c)), prob);
    ess_raw(&split(&indicator_le(&c, q)))
}

/// Rank-normalised split R̂: the larger of R̂ on the rank-normalised split chains
/// (bulk) and on the rank-normalised folded split chains `|x − median|` (tails)
/// (Vehtari et al. 2021, §4.2). `None` where undefined: fewer than 2 chains, invalid
/// draws (see module doc), or zero within-chain variance.
pub fn rhat(chains: &[&[f64]]) -> Option<f64> {
    if chains.len() < 2 {
        return None;
    }
    let c = split(&valid(chains)?);
    let bulk = rhat::rhat_raw(&z_scale(&c));
    let tail = rhat::rhat_raw(&z_scale(&fold(&c)));
    let r = bulk.max(tail);
    (bulk.is_finite() && tail.is_finite()).then_some(r)
}

/// Classic split R̂ (no rank normalisation, no folding; ArviZ `method="split"`).
/// `None` where undefined, as for [`rhat`].
pub fn rhat_split(chains: &[&[f64]]) -> Option<f64> {
    if chains.len() < 2 {
        return None;
    }
    let r = rhat::rhat_raw(&split(&valid(chains)?));
    r.is_finite().then_some(r)
}

/// Monte Carlo standard error of the mean: `sd / sqrt(ess_mean)` (sd with ddof 1 over
/// all draws pooled).
pub fn mcse_mean(chains: &[&[f64]]) -> f64 {
    let Some(c) = valid(chains) else { return f64::NAN };
    let sd = variance_ddof1(&flat(&c)).sqrt();
    sd / ess_raw(&split(&c)).sqrt()
}

/// Monte Carlo standard error of the sd, by the delta method (as ArviZ ≥ 0.16 and
/// the `posterior` R package): with `d = (x − x̄)²`, `E = mean(d)`,
/// `Var(E) ≈ (mean(d²) − E²) / ess_mean(d)` and `mcse_sd = sqrt(Var(E) / (4E))`.
pub fn mcse_sd(chains: &[&[f64]]) -> f64 {
    let Some(c) = valid(chains) else { return f64::NAN };
    let all = flat(&c);
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let d: Chains = c.iter().map(|ch| ch.iter().map(|v| (v - mean) * (v - mean)).collect()).collect();
    let nn = all.len() as f64;
    let e = d.iter().flatten().sum::<f64>() / nn;
    let e2 = d.iter().flatten().map(|v| v * v).sum::<f64>() / nn;
    let ess = ess_raw(&split(&d));
    let varvar = (e2 - e * e) / ess;
    (varvar / e / 4.0).sqrt()
}

/// Monte Carlo standard error of the `prob` quantile (ArviZ `_mcse_quantile`):
/// with `S = ess_quantile(prob)`, take the Beta(Sp + 1, S(1 − p) + 1) quantiles at
/// Φ(∓1) ≈ 0.1587 / 0.8413, map them to order statistics of the pooled sorted draws,
/// and return half the distance between those two draws.
pub fn mcse_quantile(chains: &[&[f64]], prob: f64) -> f64 {
    let Some(c) = valid(chains) else { return f64::NAN };
    let ess = ess_quantile(chains, prob);
    if ess.is_nan() {
        return f64::NAN;
    }
    let s = sorted(&flat(&c));
    let size = s.len() as f64;
    let a = ess * prob + 1.0;
    let b = ess * (1.0 - prob) + 1.0;
    let lo = beta_ppf(0.158_655_3, a, b) * size - 1.0;
    let hi = beta_ppf(0.841_344_7, a, b) * size - 1.0;
    // NumPy's nanmax / nanmin: a NaN bound falls back to the data's ends.
    let lo = if lo.is_nan() { 0.0 } else { lo.max(0.0) };
    let hi = if hi.is_nan() { size - 1.0 } else { hi.min(size - 1.0) };
    let i1 = lo.floor() as usize;
    let i2 = (hi.ceil() as usize).min(s.len() - 1);
    (s[i2] - s[i1]) / 2.0
}

/// Quantile of all draws pooled, NumPy's default linear interpolation (type 7).
/// NaN for invalid draws (see module doc) or `prob` outside [0, 1].
pub fn quantile(chains: &[&[f64]], prob: f64) -> f64 {
    match valid(chains) {
        Some(c) => quantile_sorted(&sorted(&flat(&c)), prob),
        None => f64::NAN,
    }
}

/// Energy Bayesian fraction of missing information of one chain (Betancourt 2016):
/// `E-BFMI = mean((E_t − E_{t−1})²) / var(E)` (var with ddof 1). Values below 0.3
/// suggest the momentum resampling explores the energy distribution poorly.
/// NaN for fewer than 2 values, non-finite values, or constant energy.
pub fn e_bfmi(energy: &[f64]) -> f64 {
    if energy.len() < 2 || energy.iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let num = energy.windows(2).map(|w| (w[1] - w[0]) * (w[1] - w[0])).sum::<f64>()
        / (energy.len() - 1) as f64;
    let den = variance_ddof1(energy);
    if den > 0.0 {
        num / den
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests;

/// Test helpers shared with other modules' tests.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) use super::tests::normals;
}
