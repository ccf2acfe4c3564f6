//! Poisson distribution `poisson(lambda)` and `poisson_log(alpha)`.
//!
//! # Formula
//! `log p(n) = n log λ − λ − log n!`; `∂/∂λ = n/λ − 1`.
//! Log form, `λ = eᵅ`: `n α − eᵅ − log n!`; `∂/∂α = n − eᵅ`.
//! CDF: `P(N ≤ n) = Q(n + 1, λ)` (regularised upper incomplete gamma),
//! `∂/∂λ = −pmf(n)/F`.

use super::{check_nonneg, check_not_nan, Discrete, DiscreteCdf, DistError};
use crate::special::{inc_gamma, lgamma_f64};
use exmc_core::Real;

pub struct Poisson;
pub struct PoissonLog;

fn check(dist: &'static str, n: &[i64]) -> Result<(), DistError> {
    if n[0] < 0 {
        Err(DistError {
            dist,
            arg: "n",
            must_be: "non-negative",
            value: n[0] as f64,
        })
    } else {
        Ok(())
    }
}

impl Discrete for Poisson {
    const NAME: &'static str = "poisson";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["lambda"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check(Self::NAME, n)
    }
    fn data_terms(n: &[i64]) -> f64 {
        -lgamma_f64(n[0] as f64 + 1.0)
    }
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_nonneg(Self::NAME, "lambda", p[0])?;
        let l = p[0];
        if n[0] == 0 {
            dp[0] = -T::one();
            return Ok(-l);
        }
        let k = T::c(n[0] as f64);
        if l == T::zero() {
            dp[0] = T::zero();
            return Ok(T::neg_infinity());
        }
        dp[0] = k / l - T::one();
        Ok(k * l.ln() - l)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        if p[0] == 0.0 {
            return 0;
        }
        match rand_distr::Poisson::new(p[0]) {
            Ok(d) => rng.sample(d) as i64,
            Err(_) => -1,
        }
    }
}

fn cdf_impl<T: Real>(n: &[i64], p: &[T], dp: &mut [T], upper: bool) -> Result<T, DistError> {
    check_nonneg(Poisson::NAME, "lambda", p[0])?;
    dp[0] = T::zero();
    if n[0] < 0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let lam = p[0].f64();
    if lam == 0.0 {
        return Ok(if upper { T::neg_infinity() } else { T::zero() });
    }
    let g = inc_gamma(n[0] as f64 + 1.0, lam);
    let (l, d) = if upper {
        (g.log_p, g.dlog_p_dx)
    } else {
        (g.log_q, g.dlog_q_dx)
    };
    if l.is_finite() && d.is_finite() {
        dp[0] = T::c(d);
    }
    Ok(T::c(l))
}

impl DiscreteCdf for Poisson {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, false)
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, true)
    }
}

impl Discrete for PoissonLog {
    const NAME: &'static str = "poisson_log";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["alpha"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check(Self::NAME, n)
    }
    fn data_terms(n: &[i64]) -> f64 {
        -lgamma_f64(n[0] as f64 + 1.0)
    }
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_not_nan(Self::NAME, "alpha", p[0])?;
        if p[0] == T::infinity() {
            return Err(DistError {
                dist: Self::NAME,
                arg: "alpha",
                must_be: "less than +inf",
                value: f64::INFINITY,
            });
        }
        let e = p[0].exp();
        let k = T::c(n[0] as f64);
        dp[0] = k - e;
        if n[0] == 0 {
            return Ok(-e);
        }
        if p[0] == T::neg_infinity() {
            dp[0] = T::zero();
            return Ok(T::neg_infinity());
        }
        Ok(k * p[0] - e)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, n: &[i64], p: &[f64]) -> i64 {
        Poisson::rng(rng, n, &[p[0].exp()])
    }
}
