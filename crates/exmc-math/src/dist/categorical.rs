//! Categorical distribution over `K` categories: `categorical(theta)` with a
//! simplex `θ`, and `categorical_logit(beta)` with `θ = softmax(β)`.
//!
//! Categories are **0-based** here (`0 ≤ n < K`); a Stan front end subtracts 1.
//!
//! # Formula
//! `log p(n | θ) = log θₙ`, `∂/∂θₖ = [k = n]/θₙ`.
//! `log p(n | β) = βₙ − log Σₖ e^{βₖ}`, `∂/∂βₖ = [k = n] − softmax(β)ₖ`.

use super::{check_simplex, DistError};
use crate::special::log_sum_exp;
use exmc_core::Real;

/// `log θₙ`; writes `∂/∂θ` into `dtheta` (length `K`). `θ` must be a simplex
/// (entries in [0, 1], sum within 1e-8 of 1).
pub fn categorical_lpmf<T: Real>(n: usize, theta: &[T], dtheta: &mut [T]) -> Result<T, DistError> {
    const NAME: &str = "categorical";
    check_simplex(NAME, "theta", theta)?;
    if n >= theta.len() {
        return Err(DistError {
            dist: NAME,
            arg: "n",
            must_be: "in [0, K)",
            value: n as f64,
        });
    }
    dtheta.iter_mut().for_each(|v| *v = T::zero());
    let t = theta[n];
    if t > T::zero() {
        dtheta[n] = t.recip();
    }
    Ok(t.ln())
}

/// `βₙ − log_sum_exp(β)`; writes `∂/∂β` into `dbeta` (length `K`).
pub fn categorical_logit_lpmf<T: Real>(
    n: usize,
    beta: &[T],
    dbeta: &mut [T],
) -> Result<T, DistError> {
    const NAME: &str = "categorical_logit";
    if n >= beta.len() {
        return Err(DistError {
            dist: NAME,
            arg: "n",
            must_be: "in [0, K)",
            value: n as f64,
        });
    }
    for &b in beta {
        super::check_finite(NAME, "beta", b)?;
    }
    let lse = log_sum_exp(beta);
    for (d, &b) in dbeta.iter_mut().zip(beta) {
        *d = -(b - lse).exp();
    }
    dbeta[n] += T::one();
    Ok(beta[n] - lse)
}
