//! Exponential distribution `exponential(beta)`, `β` the rate.
//!
//! # Formula
//! `log p(x) = log β − β x`, `x ≥ 0`.
//! Partials: `∂/∂x = −β`, `∂/∂β = 1/β − x`.
//! CDF: `log F = log1m_exp(−βx)` (`∂/∂x = β/expm1(βx)`, `∂/∂β = x/expm1(βx)`);
//! CCDF: `log S = −βx`.

use super::{check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Exponential;

impl Continuous for Exponential {
    const NAME: &'static str = "exponential";
    const PARAMS: &'static [&'static str] = &["beta"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "beta", p[0])?;
        dp[0] = p[0].recip();
        Ok(p[0].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if x < T::zero() {
            *dx = T::zero();
            dp[0] = T::zero();
            return T::neg_infinity();
        }
        *dx = -p[0];
        dp[0] = -x;
        -p[0] * x
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0) {
            return f64::NAN;
        }
        -open01(rng).ln() / p[0]
    }
}

impl Cdf for Exponential {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "beta", p[0])?;
        check_not_nan(Self::NAME, "x", x)?;
        d[0] = T::zero();
        d[1] = T::zero();
        if x <= T::zero() {
            return Ok(T::neg_infinity());
        }
        let bx = p[0] * x;
        if bx == T::infinity() {
            return Ok(T::zero());
        }
        let em1 = bx.exp_m1().recip();
        d[0] = p[0] * em1;
        d[1] = x * em1;
        Ok(log1m_exp(-bx))
    }

    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "beta", p[0])?;
        check_not_nan(Self::NAME, "x", x)?;
        if x <= T::zero() {
            d[0] = T::zero();
            d[1] = T::zero();
            return Ok(T::zero());
        }
        d[0] = -p[0];
        d[1] = -x;
        let v = -p[0] * x;
        if v == T::neg_infinity() {
            d[0] = T::zero();
            d[1] = T::zero();
        }
        Ok(v)
    }
}
