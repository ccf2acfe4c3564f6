//! Dirichlet distribution `dirichlet(alpha)` over a `K`-simplex.
//!
//! # Formula
//! `log p(x) = log Γ(Σα) − Σ log Γ(αₖ) + Σ (αₖ − 1) log xₖ`.
//! Partials: `∂/∂xₖ = (αₖ − 1)/xₖ`, `∂/∂αₖ = ψ(Σα) − ψ(αₖ) + log xₖ`.
//! (`x` is treated as `K` free coordinates; the simplex transform's Jacobian
//! is the transform's business.)

use super::{check_positive, check_simplex, DistError};
use crate::special::{digamma, log_gamma};
use exmc_core::Real;

const NAME: &str = "dirichlet";

/// Log density; writes `∂/∂x` into `dx` and `∂/∂α` into `dalpha` (length `K`).
pub fn dirichlet_lpdf<T: Real>(
    x: &[T],
    alpha: &[T],
    dx: &mut [T],
    dalpha: &mut [T],
) -> Result<T, DistError> {
    if x.len() != alpha.len() {
        return Err(DistError {
            dist: NAME,
            arg: "alpha",
            must_be: "the same length as x",
            value: alpha.len() as f64,
        });
    }
    let mut sum = T::zero();
    for &a in alpha {
        check_positive(NAME, "alpha", a)?;
        sum += a;
    }
    check_simplex(NAME, "x", x)?;
    let psi_sum = digamma(sum);
    let mut lp = log_gamma(sum);
    for k in 0..x.len() {
        let (a, xk) = (alpha[k], x[k]);
        let lx = xk.ln();
        lp += (a - T::one()) * lx - log_gamma(a);
        dx[k] = (a - T::one()) / xk;
        dalpha[k] = psi_sum - digamma(a) + lx;
    }
    Ok(lp)
}
