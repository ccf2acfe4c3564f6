//! Negative binomial `neg_binomial_2(mu, phi)`: mean `μ`, variance `μ + μ²/φ`.
//!
//! # Formula
//! `log p(n) = log Γ(n + φ) − log Γ(φ) − log n! + n log μ − φ log1p(μ/φ)
//!             − n log(μ + φ)`.
//! Partials: `∂/∂μ = n/μ − (n + φ)/(μ + φ)`,
//! `∂/∂φ = ψ(n + φ) − ψ(φ) − log1p(μ/φ) + (μ − n)/(μ + φ)`.
//! CDF: `P(N ≤ n) = I_{φ/(μ+φ)}(φ, n + 1)`.

use super::{check_positive, Discrete, DiscreteCdf, DistError};
use crate::special::{digamma, inc_beta, lgamma_f64, log_gamma};
use exmc_core::Real;

pub struct NegBinomial2;

impl Discrete for NegBinomial2 {
    const NAME: &'static str = "neg_binomial_2";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["mu", "phi"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        if n[0] < 0 {
            Err(DistError {
                dist: Self::NAME,
                arg: "n",
                must_be: "non-negative",
                value: n[0] as f64,
            })
        } else {
            Ok(())
        }
    }
    fn data_terms(n: &[i64]) -> f64 {
        -lgamma_f64(n[0] as f64 + 1.0)
    }
    #[inline]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "phi", p[1])?;
        let (mu, phi) = (p[0], p[1]);
        let k = T::c(n[0] as f64);
        let s = mu + phi;
        let l1 = (mu / phi).ln_1p();
        dp[0] = k / mu - (k + phi) / s;
        dp[1] = digamma(k + phi) - digamma(phi) - l1 + (mu - k) / s;
        let lg = if n[0] == 0 {
            T::zero()
        } else {
            log_gamma(k + phi) - log_gamma(phi)
        };
        let nterm = if n[0] == 0 {
            T::zero()
        } else {
            k * (mu.ln() - s.ln())
        };
        Ok(lg + nterm - phi * l1)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        super::neg_binomial::gamma_poisson(rng, p[1], p[0] / p[1])
    }
}

fn cdf_impl<T: Real>(n: &[i64], p: &[T], dp: &mut [T], upper: bool) -> Result<T, DistError> {
    check_positive(NegBinomial2::NAME, "mu", p[0])?;
    check_positive(NegBinomial2::NAME, "phi", p[1])?;
    dp[0] = T::zero();
    dp[1] = T::zero();
    if n[0] < 0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (mu, phi) = (p[0].f64(), p[1].f64());
    let s = mu + phi;
    let ib = inc_beta(phi, n[0] as f64 + 1.0, phi / s, mu / s);
    let (l, da, ddx) = if upper {
        (ib.log_1m_i, ib.dlog_1m_i[0], ib.dlog_1m_i_dx)
    } else {
        (ib.log_i, ib.dlog_i[0], ib.dlog_i_dx)
    };
    if l.is_finite() && ddx.is_finite() {
        // x = φ/(μ+φ): ∂x/∂μ = −φ/s², ∂x/∂φ = μ/s²
        dp[0] = T::c(-ddx * phi / (s * s));
        dp[1] = T::c(da + ddx * mu / (s * s));
    }
    Ok(T::c(l))
}

impl DiscreteCdf for NegBinomial2 {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, false)
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, true)
    }
}
