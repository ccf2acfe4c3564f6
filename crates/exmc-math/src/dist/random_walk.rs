//! Gaussian random walk over a vector `x[0..T]`.
//!
//! # Formula
//! `x[t] ~ normal(x[t−1], σ)` for `t ≥ 1` (0-based), and, when `init =
//! Some((μ₀, σ₀))`, `x[0] ~ normal(μ₀, σ₀)`; with `init = None` the first
//! element gets no density here (give it a prior separately).
//! `log p = Σₜ [−log σ − ½ log 2π − ½ zₜ²]`, `zₜ = (x[t] − x[t−1])/σ`;
//! `∂/∂x[t] −= zₜ/σ`, `∂/∂x[t−1] += zₜ/σ`, `∂/∂σ += (zₜ² − 1)/σ`.

use super::{check_finite, check_positive, DistError};
use exmc_core::Real;

const NAME: &str = "gaussian_random_walk";
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Log density; partials into `dx` (length of `x`), `dinit = [∂μ₀, ∂σ₀]`
/// (zeros when `init` is `None`) and `dsigma`.
pub fn gaussian_random_walk_lpdf<T: Real>(
    x: &[T],
    init: Option<(T, T)>,
    sigma: T,
    dx: &mut [T],
    dinit: &mut [T; 2],
    dsigma: &mut T,
) -> Result<T, DistError> {
    check_positive(NAME, "sigma", sigma)?;
    let inv = sigma.recip();
    let mut lp = T::zero();
    let mut ds = T::zero();
    dx.iter_mut().take(x.len()).for_each(|v| *v = T::zero());
    *dinit = [T::zero(); 2];
    if let Some((mu0, s0)) = init {
        check_finite(NAME, "mu0", mu0)?;
        check_positive(NAME, "sigma0", s0)?;
        if let Some(&x0) = x.first() {
            let z = (x0 - mu0) / s0;
            lp += -s0.ln() - T::c(HALF_LN_2PI) - T::c(0.5) * z * z;
            dx[0] = -z / s0;
            dinit[0] = z / s0;
            dinit[1] = (z * z - T::one()) / s0;
        }
    }
    let steps = x.len().saturating_sub(1);
    for t in 1..x.len() {
        let z = (x[t] - x[t - 1]) * inv;
        lp -= T::c(0.5) * z * z;
        let g = z * inv;
        dx[t] -= g;
        dx[t - 1] += g;
        ds += z * z;
    }
    let n = T::c(steps as f64);
    lp -= n * (sigma.ln() + T::c(HALF_LN_2PI));
    *dsigma = (ds - n) * inv;
    Ok(lp)
}
