//! Negative binomial `neg_binomial(alpha, beta)`: shape `α`, inverse scale
//! `β` (a gamma(α, β)–Poisson mixture; `neg_binomial_2(α/β, α)`).
//!
//! # Formula
//! `log p(n) = log Γ(n + α) − log Γ(α) − log n! + α log(β/(1 + β)) − n log(1 + β)`.
//! Partials: `∂/∂α = ψ(n + α) − ψ(α) + log(β/(1 + β))`,
//! `∂/∂β = α/(β(1 + β)) − n/(1 + β)`.
//! CDF: `P(N ≤ n) = I_{β/(1+β)}(α, n + 1)`.

use super::{check_positive, Discrete, DiscreteCdf, DistError};
use crate::special::{digamma, inc_beta, lgamma_f64, log_gamma};
use exmc_core::Real;

pub struct NegBinomial;

pub(crate) fn check_count(dist: &'static str, n: i64) -> Result<(), DistError> {
    if n < 0 {
        Err(DistError { dist, arg: "n", must_be: "non-negative", value: n as f64 })
    } else {
        Ok(())
    }
}

impl Discrete for NegBinomial {
    const NAME: &'static str = "neg_binomial";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["alpha", "beta"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check_count(Self::NAME, n[0])
    }
    fn data_terms(n: &[i64]) -> f64 {
        -lgamma_f64(n[0] as f64 + 1.0)
    }
    #[inline]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "alpha", p[0])?;
        check_positive(Self::NAME, "beta", p[1])?;
        let (a, b) = (p[0], p[1]);
        let k = T::c(n[0] as f64);
        let l1b = b.ln_1p();
        let lratio = b.ln() - l1b; // log(β/(1+β))
        let (lg, dg) = if n[0] == 0 {
            (T::zero(), T::zero())
        } else {
            (log_gamma(k + a) - log_gamma(a), digamma(k + a) - digamma(a))
        };
        dp[0] = dg + lratio;
        dp[1] = a / (b * (T::one() + b)) - k / (T::one() + b);
        Ok(lg + a * lratio - k * l1b)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        if !(p[0] > 0.0 && p[0].is_finite() && p[1] > 0.0 && p[1].is_finite()) {
            return -1;
        }
        gamma_poisson(rng, p[0], 1.0 / p[1])
    }
}

/// A Poisson draw whose rate is a gamma(shape, scale) draw; −1 on failure.
pub(crate) fn gamma_poisson<R: rand::Rng + ?Sized>(rng: &mut R, shape: f64, scale: f64) -> i64 {
    let g = match rand_distr::Gamma::new(shape, scale) {
        Ok(d) => rng.sample(d),
        Err(_) => return -1,
    };
    if g <= 0.0 {
        return 0;
    }
    match rand_distr::Poisson::new(g) {
        Ok(d) => rng.sample(d) as i64,
        Err(_) => -1,
    }
}

fn cdf_impl<T: Real>(n: &[i64], p: &[T], dp: &mut [T], upper: bool) -> Result<T, DistError> {
    check_positive(NegBinomial::NAME, "alpha", p[0])?;
    check_positive(NegBinomial::NAME, "beta", p[1])?;
    dp[0] = T::zero();
    dp[1] = T::zero();
    if n[0] < 0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (a, b) = (p[0].f64(), p[1].f64());
    let ib = inc_beta(a, n[0] as f64 + 1.0, b / (1.0 + b), 1.0 / (1.0 + b));
    let (l, da, ddx) = if upper {
        (ib.log_1m_i, ib.dlog_1m_i[0], ib.dlog_1m_i_dx)
    } else {
        (ib.log_i, ib.dlog_i[0], ib.dlog_i_dx)
    };
    if l.is_finite() && ddx.is_finite() {
        // x = β/(1+β): ∂x/∂β = 1/(1+β)²
        dp[0] = T::c(da);
        dp[1] = T::c(ddx / ((1.0 + b) * (1.0 + b)));
    }
    Ok(T::c(l))
}

impl DiscreteCdf for NegBinomial {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, false)
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, true)
    }
}
