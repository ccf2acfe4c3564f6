//! Potential scale reduction R̂ (Gelman & Rubin 1992; BDA3 §11.4):
//! with m chains of n draws, B = n · var(chain means), W = mean(chain variances),
//! `R̂ = sqrt(((n − 1)/n · W + B/n) / W)`.

use super::geyer::variance_ddof1;
use super::transform::Chains;

/// Classic R̂ of the given chains (no splitting). NaN when W = 0 or shapes are degenerate.
pub fn rhat_raw(chains: &Chains) -> f64 {
    let m = chains.len();
    let n = chains.first().map_or(0, Vec::len);
    if m < 2 || n < 2 {
        return f64::NAN;
    }
    let nf = n as f64;
    let means: Vec<f64> = chains.iter().map(|c| c.iter().sum::<f64>() / nf).collect();
    let within = chains.iter().map(|c| variance_ddof1(c)).sum::<f64>() / m as f64;
    let between = nf * variance_ddof1(&means);
    ((between / within + nf - 1.0) / nf).sqrt()
}
