//! Cauchy distribution `cauchy(mu, sigma)`.
//!
//! # Formula
//! `log p(x) = −log π − log σ − log1p(z²)`, `z = (x − μ)/σ`.
//! Partials: `∂/∂x = −2z/(σ(1+z²))`, `∂/∂μ = −∂/∂x`, `∂/∂σ = (2z²/(1+z²) − 1)/σ`.
//! CDF: `½ + atan(z)/π`, for `z < −1` as `atan(−1/z)/π` and for `z > 1` as
//! `log1p(−atan(1/z)/π)` (no cancellation in either tail);
//! CCDF(z) = CDF(−z).

use super::{
    check_finite, check_not_nan, check_positive, loc_scale_partials, open01, Cdf, Continuous,
    DistError, Support,
};
use exmc_core::Real;

pub struct Cauchy;

const LN_PI: f64 = 1.144_729_885_849_400_2;

/// `log F(z)` of the standard Cauchy (f64).
pub(crate) fn std_lcdf(z: f64) -> f64 {
    if z < -1.0 {
        ((-1.0 / z).atan() / std::f64::consts::PI).ln()
    } else if z > 1.0 {
        (-(1.0 / z).atan() / std::f64::consts::PI).ln_1p()
    } else {
        (0.5 + z.atan() / std::f64::consts::PI).ln()
    }
}

impl Continuous for Cauchy {
    const NAME: &'static str = "cauchy";
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
        Ok(-p[1].ln() - T::c(LN_PI))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let inv = p[1].recip();
        let z = (x - p[0]) * inv;
        let w = (T::one() + z * z).recip();
        let g = T::c(2.0) * z * w * inv;
        *dx = -g;
        dp[0] = g;
        dp[1] = g * z;
        -(z * z).ln_1p()
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0) {
            return f64::NAN;
        }
        p[0] + p[1] * (std::f64::consts::PI * (open01(rng) - 0.5)).tan()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Cauchy::check_params(p)?;
    check_not_nan(Cauchy::NAME, "x", x)?;
    let z = (x.f64() - p[0].f64()) / p[1].f64();
    let zz = if upper { -z } else { z };
    let l = std_lcdf(zz);
    // d log F/dz = 1/(π(1+z²)F)
    let r = (-LN_PI - (zz * zz).ln_1p() - l).exp();
    let r = if upper { -r } else { r };
    loc_scale_partials(T::c(if r.is_finite() { r } else { 0.0 }), T::c(z), p[1], d);
    Ok(T::c(l))
}

impl Cdf for Cauchy {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
