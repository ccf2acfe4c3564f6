//! Von Mises distribution `von_mises(mu, kappa)`.
//!
//! # Formula
//! `log p(x) = κ cos(x − μ) − log(2π) − log I₀(κ)` (as Stan: `x` is not
//! restricted; the density is 2π-periodic).
//! Partials: `∂/∂x = −κ sin(x − μ)`, `∂/∂μ = κ sin(x − μ)`,
//! `∂/∂κ = cos(x − μ) − I₁(κ)/I₀(κ)`.
//! Draws: Best & Fisher (1979) rejection sampler, result in `[μ − π, μ + π]`.

use super::{check_finite, check_nonneg, open01, Continuous, DistError, Support};
use crate::special::{bessel_i1_over_i0, log_bessel_i0};
use exmc_core::Real;

pub struct VonMises;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

impl Continuous for VonMises {
    const NAME: &'static str = "von_mises";
    const PARAMS: &'static [&'static str] = &["mu", "kappa"];
    const SUPPORT: Support = Support::Circular;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_nonneg(Self::NAME, "kappa", p[1])?;
        dp[0] = T::zero();
        dp[1] = -bessel_i1_over_i0(p[1]);
        Ok(-T::c(LN_2PI) - log_bessel_i0(p[1]))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let r = x - p[0];
        let (s, c) = r.sin_cos();
        let k = p[1];
        *dx = -k * s;
        dp[0] = k * s;
        dp[1] = c;
        k * c
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        let (mu, kappa) = (p[0], p[1]);
        if !(kappa >= 0.0) || !mu.is_finite() || !kappa.is_finite() {
            return f64::NAN;
        }
        let pi = std::f64::consts::PI;
        if kappa < 1e-8 {
            return mu + pi * (2.0 * open01(rng) - 1.0);
        }
        let tau = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
        let rho = (tau - (2.0 * tau).sqrt()) / (2.0 * kappa);
        let r = (1.0 + rho * rho) / (2.0 * rho);
        loop {
            let u1 = open01(rng);
            let z = (pi * u1).cos();
            let f = (1.0 + r * z) / (r + z);
            let c = kappa * (r - f);
            let u2 = open01(rng);
            if c * (2.0 - c) > u2 || (c / u2).ln() + 1.0 >= c {
                let s = if open01(rng) > 0.5 { 1.0 } else { -1.0 };
                return mu + s * f.clamp(-1.0, 1.0).acos();
            }
        }
    }
}
