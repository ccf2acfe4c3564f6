//! Rayleigh distribution `rayleigh(sigma)` (`weibull(2, σ√2)`).
//!
//! # Formula
//! `log p(x) = log x − 2 log σ − x²/(2σ²)`, `x ≥ 0`.
//! Partials: `∂/∂x = 1/x − x/σ²`, `∂/∂σ = −2/σ + x²/σ³`.
//! CCDF: `log S = −x²/(2σ²)`; CDF: `log F = log1m_exp(−x²/(2σ²))`.

use super::{check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Rayleigh;

impl Continuous for Rayleigh {
    const NAME: &'static str = "rayleigh";
    const PARAMS: &'static [&'static str] = &["sigma"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "sigma", p[0])?;
        dp[0] = T::c(-2.0) / p[0];
        Ok(T::c(-2.0) * p[0].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x >= T::zero() && x.is_finite()) {
            *dx = T::zero();
            dp[0] = T::zero();
            return T::neg_infinity();
        }
        let inv_s2 = (p[0] * p[0]).recip();
        *dx = x.recip() - x * inv_s2;
        dp[0] = x * x * inv_s2 / p[0];
        x.ln() - T::c(0.5) * x * x * inv_s2
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0].is_finite()) {
            return f64::NAN;
        }
        p[0] * (-2.0 * open01(rng).ln()).sqrt()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Rayleigh::check_params(p)?;
    check_not_nan(Rayleigh::NAME, "x", x)?;
    d[..2].iter_mut().for_each(|v| *v = T::zero());
    if !(x > T::zero()) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let s = p[0];
    let w = T::c(0.5) * x * x / (s * s);
    // dw/dx = x/σ², dw/dσ = −2w/σ
    let (v, k) = if upper { (-w, -T::one()) } else { (log1m_exp(-w), w.exp_m1().recip()) };
    if !(v.is_finite() && k.is_finite()) {
        return Ok(v);
    }
    d[0] = k * x / (s * s);
    d[1] = -k * T::c(2.0) * w / s;
    Ok(v)
}

impl Cdf for Rayleigh {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
