//! Normal distribution `normal(mu, sigma)`.
//!
//! # Formula
//! `log p(x) = -log σ - ½ log 2π - ½ z²`, `z = (x - μ)/σ`.
//! Partials: `∂/∂x = -z/σ`, `∂/∂μ = z/σ`, `∂/∂σ = (z² - 1)/σ`.
//! CDF: `Φ(z)`, computed through `erfc` for accuracy in both tails.

use super::{check_finite, check_positive, Continuous, DistError, Support};
use exmc_core::Real;

pub struct Normal;

const LOG_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

impl Continuous for Normal {
    const NAME: &'static str = "normal";
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
        Ok(-p[1].ln() - T::c(LOG_SQRT_2PI))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let inv_sigma = p[1].recip();
        let z = (x - p[0]) * inv_sigma;
        let dz = z * inv_sigma;
        *dx = -dz;
        dp[0] = dz;
        dp[1] = z * dz;
        T::c(-0.5) * z * z
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0 && p[1].is_finite()) {
            return f64::NAN;
        }
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        p[0] + p[1] * z
    }
}

impl super::Cdf for Normal {
    /// `log Φ(z)` with `d/dz = φ(z)/Φ(z)` (no cancellation in the tail).
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        super::check_not_nan(Self::NAME, "x", x)?;
        let z = (x - p[0]) / p[1];
        let (l, r) = crate::special::log_phi_ratio(z);
        super::loc_scale_partials(r, z, p[1], d);
        super::clean_partials(l, &mut d[..3]);
        if z == T::infinity() {
            d[..3].iter_mut().for_each(|v| *v = T::zero());
        }
        Ok(l)
    }

    /// `log Φ(−z)`.
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        super::check_not_nan(Self::NAME, "x", x)?;
        let z = (x - p[0]) / p[1];
        let (l, r) = crate::special::log_phi_ratio(-z);
        super::loc_scale_partials(-r, z, p[1], d);
        super::clean_partials(l, &mut d[..3]);
        if z == T::neg_infinity() {
            d[..3].iter_mut().for_each(|v| *v = T::zero());
        }
        Ok(l)
    }
}
