//! Effective sample size of a set of (already split / transformed) chains,
//! Stan's and ArviZ's estimator (Stan Reference Manual "Effective sample size";
//! Geyer 1992 initial positive and initial monotone sequences):
//!
//! ```text
//! W      = mean_j acov_j(0) · n/(n−1)                (within-chain variance)
//! var⁺   = W (n−1)/n + var_j(mean_j)                (var_j with ddof 1, only for m > 1)
//! ρ̂_t    = 1 − (W − mean_j acov_j(t)) / var⁺
//! τ̂      = −1 + 2 Σ_{t ≤ K} ρ̂_t + ρ̂_{K+1}⁺          (K from Geyer's pairs; monotone-capped)
//! ESS    = m n / max(τ̂, 1/log₁₀(m n))
//! ```
//! The lower bound on τ̂ caps ESS at `m n log₁₀(m n)` (antithetic chains).

use super::autocov::autocov_many;
use super::transform::Chains;

/// ESS of `chains` (m chains × n draws). NaN if any value is NaN or shapes are
/// degenerate. Constant input (range below 1e-15, NumPy's float `resolution`)
/// returns the number of draws `m n`, as ArviZ does.
pub fn ess_raw(chains: &Chains) -> f64 {
    let m = chains.len();
    let n = chains.first().map_or(0, Vec::len);
    if m == 0 || n < 2 || chains.iter().any(|c| c.len() != n) {
        return f64::NAN;
    }
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for &v in chains.iter().flatten() {
        if v.is_nan() {
            return f64::NAN;
        }
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo < 1e-15 {
        return (m * n) as f64;
    }
    let nf = n as f64;
    let acov = autocov_many(&chains.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let chain_mean: Vec<f64> = chains.iter().map(|c| c.iter().sum::<f64>() / nf).collect();
    let mean_acov = |t: usize| acov.iter().map(|a| a[t]).sum::<f64>() / m as f64;
    let mean_var = mean_acov(0) * nf / (nf - 1.0);
    let mut var_plus = mean_var * (nf - 1.0) / nf;
    if m > 1 {
        var_plus += variance_ddof1(&chain_mean);
    }
    let rho = |t: usize| 1.0 - (mean_var - mean_acov(t)) / var_plus;

    let mut rho_hat = vec![0.0; n];
    let mut rho_even = 1.0;
    rho_hat[0] = rho_even;
    let mut rho_odd = rho(1);
    rho_hat[1] = rho_odd;

    // Geyer's initial positive sequence: sum pairs while their sum stays positive.
    let mut t: isize = 1;
    let ni = n as isize;
    while t < ni - 3 && rho_even + rho_odd > 0.0 {
        rho_even = rho((t + 1) as usize);
        rho_odd = rho((t + 2) as usize);
        if rho_even + rho_odd >= 0.0 {
            rho_hat[(t + 1) as usize] = rho_even;
            rho_hat[(t + 2) as usize] = rho_odd;
        }
        t += 2;
    }
    let max_t = t - 2; // may be −1 when the loop never ran
    if rho_even > 0.0 {
        rho_hat[(max_t + 1) as usize] = rho_even;
    }
    // Geyer's initial monotone sequence: pair sums may not increase.
    let mut t: isize = 1;
    while t <= max_t - 2 {
        let (a, b, c, d) = (t - 1, t, t + 1, t + 2);
        let prev = rho_hat[a as usize] + rho_hat[b as usize];
        if rho_hat[c as usize] + rho_hat[d as usize] > prev {
            rho_hat[c as usize] = prev / 2.0;
            rho_hat[d as usize] = prev / 2.0;
        }
        t += 2;
    }
    if rho_hat.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let total = (m * n) as f64;
    let head: f64 = rho_hat[..(max_t + 1) as usize].iter().sum();
    let tail = rho_hat[(max_t + 1) as usize];
    let tau = (-1.0 + 2.0 * head + tail).max(1.0 / total.log10());
    total / tau
}

/// Sample variance with denominator n − 1 (NaN for fewer than two values).
pub fn variance_ddof1(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64
}
