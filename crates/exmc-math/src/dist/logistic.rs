//! Logistic distribution `logistic(mu, sigma)`.
//!
//! # Formula
//! `log p(x) = −z − log σ − 2 log1p(e⁻ᶻ)`, `z = (x − μ)/σ` (evaluated as
//! `−|z| − 2 log1p(e^{−|z|})`, symmetric).
//! Partials: `∂/∂x = −tanh(z/2)/σ`, `∂/∂μ = tanh(z/2)/σ`,
//! `∂/∂σ = (z tanh(z/2) − 1)/σ`.
//! CDF: `log F = −log1p(e⁻ᶻ)` (`d/dz = logistic(−z)`), CCDF: `−log1p(eᶻ)`.

use super::{
    check_finite, check_not_nan, check_positive, loc_scale_partials, open01, Cdf, Continuous,
    DistError, Support,
};
use crate::special::{inv_logit, log1p_exp};
use exmc_core::Real;

pub struct Logistic;

impl Continuous for Logistic {
    const NAME: &'static str = "logistic";
    const PARAMS: &'static [&'static str] = &["mu", "sigma"];
    const SUPPORT: Support = Support::Real;
    /// `param_terms` depends on the scale only: hoisted when the scale is a scalar.
    const HOISTED: u32 = 1 << 1;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])?;
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        Ok(-p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let inv = p[1].recip();
        let z = (x - p[0]) * inv;
        let th = (T::c(0.5) * z).tanh();
        *dx = -th * inv;
        dp[0] = th * inv;
        dp[1] = z * th * inv;
        let a = z.abs();
        -a - T::c(2.0) * (-a).exp().ln_1p()
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0) {
            return f64::NAN;
        }
        let u = open01(rng);
        p[0] + p[1] * (u / (1.0 - u)).ln()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Logistic::check_params(p)?;
    check_not_nan(Logistic::NAME, "x", x)?;
    let z = (x.f64() - p[0].f64()) / p[1].f64();
    let (l, r) = if upper {
        (-log1p_exp(z), -inv_logit(z))
    } else {
        (-log1p_exp(-z), inv_logit(-z))
    };
    let r = if z.is_finite() { r } else { 0.0 };
    loc_scale_partials(T::c(r), T::c(if z.is_finite() { z } else { 0.0 }), p[1], d);
    Ok(T::c(l))
}

impl Cdf for Logistic {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
