//! Lognormal distribution `lognormal(mu, sigma)`.
//!
//! # Formula
//! `log p(x) = −log σ − ½ log 2π − log x − ½ z²`, `z = (log x − μ)/σ`, `x > 0`.
//! Partials: `∂/∂x = −(1 + z/σ)/x`, `∂/∂μ = z/σ`, `∂/∂σ = (z² − 1)/σ`.
//! CDF: `Φ(z)` via [`log_phi_ratio`](crate::special::log_phi_ratio) (both tails).

use super::{check_finite, check_not_nan, check_positive, Cdf, Continuous, DistError, Support};
use crate::special::log_phi_ratio;
use exmc_core::Real;

pub struct Lognormal;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

impl Continuous for Lognormal {
    const NAME: &'static str = "lognormal";
    const PARAMS: &'static [&'static str] = &["mu", "sigma"];
    const SUPPORT: Support = Support::Positive;
    /// `param_terms` depends on the scale only: hoisted when the scale is a scalar.
    const HOISTED: u32 = 1 << 1;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])?;
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        Ok(-p[1].ln() - T::c(HALF_LN_2PI))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x > T::zero()) {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let inv = p[1].recip();
        let lx = x.ln();
        let z = (lx - p[0]) * inv;
        let dz = z * inv;
        *dx = -(T::one() + dz) / x;
        dp[0] = dz;
        dp[1] = z * dz;
        -lx - T::c(0.5) * z * z
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0) {
            return f64::NAN;
        }
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        (p[0] + p[1] * z).exp()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Lognormal::check_params(p)?;
    check_not_nan(Lognormal::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    if !(x > T::zero()) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (xf, sigma) = (x.f64(), p[1].f64());
    let z = (xf.ln() - p[0].f64()) / sigma;
    let (l, r) = if upper {
        let (l, r) = log_phi_ratio(-z);
        (l, -r)
    } else {
        log_phi_ratio(z)
    };
    if l == f64::NEG_INFINITY || !z.is_finite() {
        return Ok(T::c(l));
    }
    d[0] = T::c(r / (sigma * xf));
    d[1] = T::c(-r / sigma);
    d[2] = T::c(-r * z / sigma);
    Ok(T::c(l))
}

impl Cdf for Lognormal {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
