//! Mixtures in log space: `log_mix(θ, lp₁, lp₂)` and `log_mix(θ, lps)`.
//!
//! # Formula
//! `log_mix(θ, a, b) = log(θ eᵃ + (1 − θ) eᵇ)`;
//! `∂/∂θ = eᵃ⁻ᵐ − eᵇ⁻ᵐ`, `∂/∂a = θ eᵃ⁻ᵐ`, `∂/∂b = (1 − θ) eᵇ⁻ᵐ` (`m` the result).
//! Vector form: `m = log Σₖ θₖ e^{lpₖ}`; `∂/∂θₖ = e^{lpₖ − m}`,
//! `∂/∂lpₖ = θₖ e^{lpₖ − m}`.

use super::{check_prob, check_simplex, DistError};
use crate::special::{log1m, log_sum_exp2};
use exmc_core::Real;

/// Two-component mixture; `d = [∂θ, ∂lp₁, ∂lp₂]`.
pub fn log_mix<T: Real>(theta: T, lp1: T, lp2: T, d: &mut [T; 3]) -> Result<T, DistError> {
    check_prob("log_mix", "theta", theta)?;
    if lp1.is_nan() || lp2.is_nan() || lp1 == T::infinity() || lp2 == T::infinity() {
        return Err(DistError {
            dist: "log_mix",
            arg: "lp",
            must_be: "not NaN or +inf",
            value: if lp1.is_nan() || lp1 == T::infinity() {
                lp1.f64()
            } else {
                lp2.f64()
            },
        });
    }
    let m = log_sum_exp2(theta.ln() + lp1, log1m(theta) + lp2);
    if m == T::neg_infinity() {
        *d = [T::zero(); 3];
        return Ok(m);
    }
    let (e1, e2) = ((lp1 - m).exp(), (lp2 - m).exp());
    *d = [e1 - e2, theta * e1, (T::one() - theta) * e2];
    Ok(m)
}

/// `K`-component mixture with simplex weights `theta`; partials into
/// `dtheta` and `dlps` (length `K`).
pub fn log_mix_vec<T: Real>(
    theta: &[T],
    lps: &[T],
    dtheta: &mut [T],
    dlps: &mut [T],
) -> Result<T, DistError> {
    check_simplex("log_mix", "theta", theta)?;
    if lps.len() != theta.len() {
        return Err(DistError {
            dist: "log_mix",
            arg: "lps",
            must_be: "the same length as theta",
            value: lps.len() as f64,
        });
    }
    let mut m = T::neg_infinity();
    for (&t, &l) in theta.iter().zip(lps) {
        if l.is_nan() || l == T::infinity() {
            return Err(DistError {
                dist: "log_mix",
                arg: "lps",
                must_be: "not NaN or +inf",
                value: l.f64(),
            });
        }
        m = log_sum_exp2(m, t.ln() + l);
    }
    for k in 0..theta.len() {
        let e = if m == T::neg_infinity() {
            T::zero()
        } else {
            (lps[k] - m).exp()
        };
        dtheta[k] = e;
        dlps[k] = theta[k] * e;
    }
    Ok(m)
}
