//! Binomial distribution `binomial(N, theta)` and `binomial_logit(N, alpha)`.
//!
//! # Formula
//! `log p(n) = log C(N, n) + n log θ + (N − n) log(1 − θ)`;
//! `∂/∂θ = n/θ − (N − n)/(1 − θ)`.
//! Logit form: `n log logistic(α) + (N − n) log(1 − logistic(α))`,
//! `∂/∂α = n − N logistic(α)`.
//! CDF: `P(N ≤ n) = I_{1−θ}(N − n, n + 1)` (regularised incomplete beta).

use super::{check_not_nan, check_prob, Discrete, DiscreteCdf, DistError};
use crate::special::{inc_beta, inv_logit, lchoose_f64, log1p_exp};
use exmc_core::Real;

pub struct Binomial;
pub struct BinomialLogit;

fn check(dist: &'static str, n: &[i64]) -> Result<(), DistError> {
    if n[1] < 0 {
        return Err(DistError {
            dist,
            arg: "N",
            must_be: "non-negative",
            value: n[1] as f64,
        });
    }
    if n[0] < 0 || n[0] > n[1] {
        return Err(DistError {
            dist,
            arg: "n",
            must_be: "in [0, N]",
            value: n[0] as f64,
        });
    }
    Ok(())
}

/// `k log t` with `0 log 0 = 0`.
#[inline(always)]
fn xlog<T: Real>(k: T, t: T) -> T {
    if k == T::zero() {
        T::zero()
    } else {
        k * t.ln()
    }
}

impl Discrete for Binomial {
    const NAME: &'static str = "binomial";
    const INT_ARGS: &'static [&'static str] = &["n", "N"];
    const PARAMS: &'static [&'static str] = &["theta"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check(Self::NAME, n)
    }
    fn data_terms(n: &[i64]) -> f64 {
        lchoose_f64(n[1] as f64, n[0] as f64)
    }
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_prob(Self::NAME, "theta", p[0])?;
        let t = p[0];
        let k = T::c(n[0] as f64);
        let m = T::c((n[1] - n[0]) as f64);
        let u = T::one() - t;
        let v = xlog(k, t)
            + if m == T::zero() {
                T::zero()
            } else {
                m * (-t).ln_1p()
            };
        dp[0] = if v.is_finite() {
            k / t - m / u
        } else {
            T::zero()
        };
        if k == T::zero() {
            dp[0] = -m / u;
        } else if m == T::zero() {
            dp[0] = k / t;
        }
        if v == T::neg_infinity() {
            dp[0] = T::zero();
        }
        Ok(v)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, n: &[i64], p: &[f64]) -> i64 {
        match rand_distr::Binomial::new(n[1].max(0) as u64, p[0]) {
            Ok(d) => rng.sample(d) as i64,
            Err(_) => -1,
        }
    }
}

fn cdf_impl<T: Real>(n: &[i64], p: &[T], dp: &mut [T], upper: bool) -> Result<T, DistError> {
    check_prob(Binomial::NAME, "theta", p[0])?;
    dp[0] = T::zero();
    let (k, nn) = (n[0], n[1]);
    if k < 0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    if k >= nn {
        return Ok(if upper { T::neg_infinity() } else { T::zero() });
    }
    let t = p[0].f64();
    let ib = inc_beta((nn - k) as f64, (k + 1) as f64, 1.0 - t, t);
    let (l, ddx) = if upper {
        (ib.log_1m_i, ib.dlog_1m_i_dx)
    } else {
        (ib.log_i, ib.dlog_i_dx)
    };
    if l.is_finite() && ddx.is_finite() {
        dp[0] = T::c(-ddx);
    }
    Ok(T::c(l))
}

impl DiscreteCdf for Binomial {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, false)
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, true)
    }
}

impl Discrete for BinomialLogit {
    const NAME: &'static str = "binomial_logit";
    const INT_ARGS: &'static [&'static str] = &["n", "N"];
    const PARAMS: &'static [&'static str] = &["alpha"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check(Self::NAME, n)
    }
    fn data_terms(n: &[i64]) -> f64 {
        lchoose_f64(n[1] as f64, n[0] as f64)
    }
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_not_nan(Self::NAME, "alpha", p[0])?;
        let a = p[0];
        let k = T::c(n[0] as f64);
        let m = T::c((n[1] - n[0]) as f64);
        dp[0] = k - (k + m) * inv_logit(a);
        let mut v = T::zero();
        if k > T::zero() {
            v -= k * log1p_exp(-a);
        }
        if m > T::zero() {
            v -= m * log1p_exp(a);
        }
        Ok(v)
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, n: &[i64], p: &[f64]) -> i64 {
        Binomial::rng(rng, n, &[inv_logit(p[0])])
    }
}
