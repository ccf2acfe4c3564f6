//! Half-Cauchy distribution `half_cauchy(sigma)`: `cauchy(0, σ)` folded at
//! zero, normalised on `x ≥ 0`.
//!
//! # Formula
//! `log p(x) = log 2 − log π − log σ − log1p(z²)`, `z = x/σ ≥ 0`.
//! Partials: `∂/∂x = −2z/(σ(1+z²))`, `∂/∂σ = (2z²/(1+z²) − 1)/σ`.
//! CDF: `(2/π) atan(z)`; CCDF: `(2/π) atan(1/z)` (each accurate in its tail).

use super::{check_not_nan, check_positive, Cauchy, Cdf, Continuous, DistError, Support};
use exmc_core::Real;

pub struct HalfCauchy;

const LN_2_OVER_PI: f64 = -0.451_582_705_289_454_9;

impl Continuous for HalfCauchy {
    const NAME: &'static str = "half_cauchy";
    const PARAMS: &'static [&'static str] = &["sigma"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "sigma", p[0])?;
        dp[0] = -p[0].recip();
        Ok(T::c(LN_2_OVER_PI) - p[0].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if x < T::zero() {
            *dx = T::zero();
            dp[0] = T::zero();
            return T::neg_infinity();
        }
        let inv = p[0].recip();
        let z = x * inv;
        let g = T::c(2.0) * z * inv / (T::one() + z * z);
        *dx = -g;
        dp[0] = g * z;
        -(z * z).ln_1p()
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        Cauchy::rng(rng, &[0.0, p[0]]).abs()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    check_positive(HalfCauchy::NAME, "sigma", p[0])?;
    check_not_nan(HalfCauchy::NAME, "x", x)?;
    let sigma = p[0].f64();
    let z = x.f64() / sigma;
    d[0] = T::zero();
    d[1] = T::zero();
    if z <= 0.0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    if z == f64::INFINITY {
        return Ok(if upper { T::neg_infinity() } else { T::zero() });
    }
    let a = if upper { (1.0 / z).atan() } else { z.atan() };
    let l = LN_2_OVER_PI + a.ln();
    // d/dz: ± (2/π)/(1+z²) / F
    let r = (LN_2_OVER_PI - (z * z).ln_1p() - l).exp() * if upper { -1.0 } else { 1.0 };
    d[0] = T::c(r / sigma);
    d[1] = T::c(-r * z / sigma);
    Ok(T::c(l))
}

impl Cdf for HalfCauchy {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
