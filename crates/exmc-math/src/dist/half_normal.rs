//! Half-normal distribution `half_normal(sigma)`: `normal(0, σ)` folded at
//! zero, normalised on `x ≥ 0`.
//!
//! # Formula
//! `log p(x) = ½ log(2/π) − log σ − ½ (x/σ)²` for `x ≥ 0`.
//! Partials: `∂/∂x = −x/σ²`, `∂/∂σ = (x²/σ² − 1)/σ`.
//! CDF: `erf(x/(σ√2))`; CCDF: `erfc(x/(σ√2))` (log computed directly in the
//! tail that is small).

use super::{check_not_nan, check_positive, clean_partials, Cdf, Continuous, DistError, Support};
use crate::special::{log1m, log_erfc};
use exmc_core::Real;

pub struct HalfNormal;

const HALF_LN_2_OVER_PI: f64 = -0.225_791_352_644_727_43;

impl Continuous for HalfNormal {
    const NAME: &'static str = "half_normal";
    const PARAMS: &'static [&'static str] = &["sigma"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "sigma", p[0])?;
        dp[0] = -p[0].recip();
        Ok(T::c(HALF_LN_2_OVER_PI) - p[0].ln())
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
        *dx = -z * inv;
        dp[0] = z * z * inv;
        T::c(-0.5) * z * z
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        if p[0] > 0.0 {
            p[0] * z.abs()
        } else {
            f64::NAN
        }
    }
}

/// `log(pdf/F)`-style partials for the scale family: `r = ∂ log F/∂x`,
/// `∂/∂σ = −(x/σ) r`.
fn scale_partials<T: Real>(r: T, x: T, sigma: T, d: &mut [T]) {
    d[0] = r;
    d[1] = -r * x / sigma;
}

impl Cdf for HalfNormal {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "sigma", p[0])?;
        check_not_nan(Self::NAME, "x", x)?;
        if x <= T::zero() {
            d[0] = T::zero();
            d[1] = T::zero();
            return Ok(T::neg_infinity());
        }
        let u = x.f64() / (p[0].f64() * std::f64::consts::SQRT_2);
        let l = if u < 1.0 {
            libm::erf(u).ln()
        } else {
            log1m(libm::erfc(u))
        };
        let lpdf = HALF_LN_2_OVER_PI - p[0].f64().ln() - u * u;
        let r = T::c((lpdf - l).exp());
        scale_partials(r, x, p[0], d);
        Ok(T::c(l))
    }

    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "sigma", p[0])?;
        check_not_nan(Self::NAME, "x", x)?;
        if x <= T::zero() {
            d[0] = T::zero();
            d[1] = T::zero();
            return Ok(T::zero());
        }
        let u = x.f64() / (p[0].f64() * std::f64::consts::SQRT_2);
        let l = log_erfc(u);
        // d/du ln erfc(u) = −2/√π e^{−u²}/erfc(u); computed from the log pdf.
        let lpdf = HALF_LN_2_OVER_PI - p[0].f64().ln() - u * u;
        let r = T::c(-(lpdf - l).exp());
        scale_partials(r, x, p[0], d);
        clean_partials(T::c(l), &mut d[..2]);
        Ok(T::c(l))
    }
}
