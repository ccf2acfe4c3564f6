//! Gumbel distribution `gumbel(mu, beta)`.
//!
//! # Formula
//! `log p(x) = −log β − z − e⁻ᶻ`, `z = (x − μ)/β`.
//! Partials: `∂/∂x = (e⁻ᶻ − 1)/β`, `∂/∂μ = −∂/∂x`, `∂/∂β = −1/β − z(e⁻ᶻ − 1)/β`.
//! CDF: `log F = −e⁻ᶻ` (`d/dz = e⁻ᶻ`); CCDF: `log1m_exp(−e⁻ᶻ)`.

use super::{
    check_finite, check_not_nan, check_positive, loc_scale_partials, open01, Cdf, Continuous,
    DistError, Support,
};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Gumbel;

impl Continuous for Gumbel {
    const NAME: &'static str = "gumbel";
    const PARAMS: &'static [&'static str] = &["mu", "beta"];
    const SUPPORT: Support = Support::Real;
    /// `param_terms` depends on the scale only: hoisted when the scale is a scalar.
    const HOISTED: u32 = 1 << 1;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "beta", p[1])?;
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        Ok(-p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let inv = p[1].recip();
        let z = (x - p[0]) * inv;
        let e = (-z).exp();
        let g = (e - T::one()) * inv;
        *dx = g;
        dp[0] = -g;
        dp[1] = -z * g;
        -z - e
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0) {
            return f64::NAN;
        }
        p[0] - p[1] * (-open01(rng).ln()).ln()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Gumbel::check_params(p)?;
    check_not_nan(Gumbel::NAME, "x", x)?;
    let z = (x.f64() - p[0].f64()) / p[1].f64();
    let e = (-z).exp();
    let (l, r) = if upper {
        let l = log1m_exp(-e);
        // −pdf/S with log pdf_z = −z − e
        (l, -(-z - e - l).exp())
    } else {
        (-e, e)
    };
    let r = if l == f64::NEG_INFINITY || !z.is_finite() || !r.is_finite() {
        0.0
    } else {
        r
    };
    loc_scale_partials(T::c(r), T::c(if z.is_finite() { z } else { 0.0 }), p[1], d);
    Ok(T::c(l))
}

impl Cdf for Gumbel {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
