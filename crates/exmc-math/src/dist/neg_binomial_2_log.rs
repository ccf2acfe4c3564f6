//! Negative binomial with log mean `neg_binomial_2_log(eta, phi)` =
//! `neg_binomial_2(exp(η), φ)`, computed without forming `exp(η)` where it
//! could overflow.
//!
//! # Formula
//! With `L = log(e^η + φ)` (a log-sum-exp):
//! `log p(n) = log Γ(n + φ) − log Γ(φ) − log n! + n (η − L) + φ (log φ − L)`.
//! Partials, with `q = e^η/(e^η + φ) = inv_logit(η − log φ)`:
//! `∂/∂η = n − (n + φ) q`,
//! `∂/∂φ = ψ(n + φ) − ψ(φ) + log φ − L + 1 − (n + φ)/(e^η + φ)`.

use super::neg_binomial::{check_count, gamma_poisson};
use super::{check_finite, check_positive, Discrete, DistError};
use crate::special::{digamma, inv_logit, lgamma_f64, log_gamma, log_sum_exp2};
use exmc_core::Real;

pub struct NegBinomial2Log;

impl Discrete for NegBinomial2Log {
    const NAME: &'static str = "neg_binomial_2_log";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["eta", "phi"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check_count(Self::NAME, n[0])
    }
    fn data_terms(n: &[i64]) -> f64 {
        -lgamma_f64(n[0] as f64 + 1.0)
    }
    #[inline]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "eta", p[0])?;
        check_positive(Self::NAME, "phi", p[1])?;
        let (eta, phi) = (p[0], p[1]);
        let k = T::c(n[0] as f64);
        let lphi = phi.ln();
        let big_l = log_sum_exp2(eta, lphi);
        let q = inv_logit(eta - lphi);
        // (n + φ)/(e^η + φ) = (n + φ) (1 − q)/φ
        let w = (k + phi) * (T::one() - q) / phi;
        let (lg, dg) = if n[0] == 0 {
            (T::zero(), T::zero())
        } else {
            (log_gamma(k + phi) - log_gamma(phi), digamma(k + phi) - digamma(phi))
        };
        dp[0] = k - (k + phi) * q;
        dp[1] = dg + lphi - big_l + T::one() - w;
        let nterm = if n[0] == 0 { T::zero() } else { k * (eta - big_l) };
        Ok(lg + nterm + phi * (lphi - big_l))
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        let mu = p[0].exp();
        if !(mu > 0.0 && mu.is_finite() && p[1] > 0.0 && p[1].is_finite()) {
            return -1;
        }
        gamma_poisson(rng, p[1], mu / p[1])
    }
}
