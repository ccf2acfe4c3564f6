//! Bernoulli distribution `bernoulli(theta)` and `bernoulli_logit(alpha)`.
//!
//! # Formula
//! `log p(n) = log θ` (n = 1) or `log(1 − θ)` (n = 0);
//! `∂/∂θ = 1/θ` or `−1/(1 − θ)`.
//! Logit form, `θ = logistic(α)`: `log p(1) = −log1p(e⁻ᵅ)`,
//! `log p(0) = −log1p(eᵅ)`; `∂/∂α = n − logistic(α)`.
//! CDF: `P(N ≤ 0) = 1 − θ`.

use super::{check_not_nan, check_prob, Discrete, DiscreteCdf, DistError};
use crate::special::inv_logit;
use exmc_core::Real;

pub struct Bernoulli;
pub struct BernoulliLogit;

fn check_n(dist: &'static str, n: &[i64]) -> Result<(), DistError> {
    if n[0] == 0 || n[0] == 1 {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg: "n",
            must_be: "0 or 1",
            value: n[0] as f64,
        })
    }
}

impl Discrete for Bernoulli {
    const NAME: &'static str = "bernoulli";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["theta"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check_n(Self::NAME, n)
    }
    fn data_terms(_n: &[i64]) -> f64 {
        0.0
    }
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_prob(Self::NAME, "theta", p[0])?;
        let t = p[0];
        Ok(if n[0] == 1 {
            dp[0] = if t > T::zero() { t.recip() } else { T::zero() };
            t.ln()
        } else {
            let u = T::one() - t;
            dp[0] = if u > T::zero() { -u.recip() } else { T::zero() };
            (-t).ln_1p()
        })
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        (rng.random::<f64>() < p[0]) as i64
    }
}

impl DiscreteCdf for Bernoulli {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_prob(Self::NAME, "theta", p[0])?;
        dp[0] = T::zero();
        Ok(match n[0] {
            k if k < 0 => T::neg_infinity(),
            0 => {
                let u = T::one() - p[0];
                dp[0] = if u > T::zero() { -u.recip() } else { T::zero() };
                (-p[0]).ln_1p()
            }
            _ => T::zero(),
        })
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_prob(Self::NAME, "theta", p[0])?;
        dp[0] = T::zero();
        Ok(match n[0] {
            k if k < 0 => T::zero(),
            0 => {
                dp[0] = if p[0] > T::zero() {
                    p[0].recip()
                } else {
                    T::zero()
                };
                p[0].ln()
            }
            _ => T::neg_infinity(),
        })
    }
}

impl Discrete for BernoulliLogit {
    const NAME: &'static str = "bernoulli_logit";
    const INT_ARGS: &'static [&'static str] = &["n"];
    const PARAMS: &'static [&'static str] = &["alpha"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        check_n(Self::NAME, n)
    }
    fn data_terms(_n: &[i64]) -> f64 {
        0.0
    }
    /// One `exp` and one `log1p` per element: with `e = exp(-|α|)`,
    /// `log σ(α) = -(max(-α, 0) + log1p(e))`, `σ(α) = 1/(1+e)` or `e/(1+e)`.
    #[inline(always)]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_not_nan(Self::NAME, "alpha", p[0])?;
        let a = p[0];
        let e = (-a.abs()).exp();
        let l = e.ln_1p();
        let inv = (T::one() + e).recip();
        let sigma = if a >= T::zero() { inv } else { e * inv };
        Ok(if n[0] == 1 {
            dp[0] = T::one() - sigma;
            -((-a).max(T::zero()) + l)
        } else {
            dp[0] = -sigma;
            -(a.max(T::zero()) + l)
        })
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, _n: &[i64], p: &[f64]) -> i64 {
        (rng.random::<f64>() < inv_logit(p[0])) as i64
    }
}
