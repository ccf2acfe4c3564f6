//! Skew normal `skew_normal(xi, omega, alpha)`: location `ξ`, scale `ω`,
//! shape `α` (Azzalini; `α = 0` is `normal(ξ, ω)`).
//!
//! # Formula
//! `log p(x) = log 2 − log ω − ½ log 2π − ½ z² + log Φ(α z)`, `z = (x − ξ)/ω`.
//! With `r = φ(αz)/Φ(αz)` and `g = −z + α r` (`= d log p/dz`):
//! `∂/∂x = g/ω`, `∂/∂ξ = −g/ω`, `∂/∂ω = −(1 + z g)/ω`, `∂/∂α = z r`.
//! CDF: `F = Φ(z) − 2 T(z, α)` (Owen's T), `∂F/∂z = 2 φ(z) Φ(αz)`,
//! `∂F/∂α = −2 ∂T/∂a = −exp(−z²(1 + α²)/2) / (π (1 + α²))`.
//! The CCDF is `1 − F(z; α) = F(−z; −α)`. Where the difference cancels (the
//! light tail: `α > 0`, `z < 0`, `F < 10⁻⁵ Φ(z)`) `F` is instead the
//! integral of the density by tanh-sinh quadrature, in log space.

use super::{check_finite, check_not_nan, check_positive, Cdf, Continuous, DistError, Support};
use crate::special::{log_phi_ratio, log_phi_ratio_f64, owens_t_f64, phi};
use exmc_core::Real;

pub struct SkewNormal;

const LOG_2_OVER_SQRT_2PI: f64 = -0.225_791_352_644_727_4;

impl Continuous for SkewNormal {
    const NAME: &'static str = "skew_normal";
    const PARAMS: &'static [&'static str] = &["xi", "omega", "alpha"];
    const SUPPORT: Support = Support::Real;
    const HOISTED: u32 = 1 << 1;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "xi", p[0])?;
        check_positive(Self::NAME, "omega", p[1])?;
        check_finite(Self::NAME, "alpha", p[2])?;
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        dp[2] = T::zero();
        Ok(T::c(LOG_2_OVER_SQRT_2PI) - p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (omega, alpha) = (p[1], p[2]);
        let z = (x - p[0]) / omega;
        let (lphi, r) = log_phi_ratio(alpha * z);
        let g = -z + alpha * r;
        *dx = g / omega;
        dp[0] = -g / omega;
        dp[1] = -z * g / omega;
        dp[2] = z * r;
        T::c(-0.5) * z * z + lphi
    }

    /// `ξ + ω (δ|U| + √(1 − δ²) V)`, `δ = α/√(1 + α²)`, `U, V` standard normal.
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0].is_finite() && p[1] > 0.0 && p[1].is_finite() && p[2].is_finite()) {
            return f64::NAN;
        }
        let delta = p[2] / (1.0 + p[2] * p[2]).sqrt();
        let u: f64 = rng.sample(rand_distr::StandardNormal);
        let v: f64 = rng.sample(rand_distr::StandardNormal);
        p[0] + p[1] * (delta * u.abs() + (1.0 - delta * delta).sqrt() * v)
    }
}

/// `log F(z; α)` of the standard skew normal and `(∂/∂z, ∂/∂α)` of it.
fn log_cdf_std(z: f64, alpha: f64) -> (f64, f64, f64) {
    if z.is_infinite() {
        return (if z < 0.0 { f64::NEG_INFINITY } else { 0.0 }, 0.0, 0.0);
    }
    let f_direct = phi(z) - 2.0 * owens_t_f64(z, alpha);
    // For α > 0 and z < 0 the difference cancels (F ≪ Φ(z)): integrate the
    // density instead.
    let lf = if f_direct > 1e-5 * phi(z) {
        f_direct.min(1.0).ln()
    } else {
        light_tail(z, alpha)
    };
    if lf == f64::NEG_INFINITY {
        return (lf, 0.0, 0.0);
    }
    let b = 1.0 + alpha * alpha;
    // log of p(z) = 2φ(z)Φ(αz) and of |∂F/∂α| = exp(−z²(1 + α²)/2)/(π(1 + α²))
    let lpdf = LOG_2_OVER_SQRT_2PI - 0.5 * z * z + log_phi_ratio_f64(alpha * z).0;
    let lda = -0.5 * z * z * b - (std::f64::consts::PI * b).ln();
    (lf, (lpdf - lf).exp(), -(lda - lf).exp())
}

/// `log ∫_{−∞}^{z} 2φ(t)Φ(αt) dt` for `α > 0`, `z < 0` by tanh-sinh quadrature
/// over `t = z − c(1 + u)/(1 − u)`, `c` the decay length `1/((1 + α²)|z|)`,
/// relative to the integrand's value at `z` (so no underflow).
fn light_tail(z: f64, alpha: f64) -> f64 {
    let ell = |t: f64| -0.5 * t * t + log_phi_ratio_f64(alpha * t).0;
    let l0 = ell(z);
    if l0 == f64::NEG_INFINITY {
        return l0;
    }
    let c = 1.0 / ((1.0 + alpha * alpha) * z.abs().max(1.0));
    let (h, hp) = (1.0 / 32.0, std::f64::consts::FRAC_PI_2);
    let mut s = 0.0;
    for k in -128..=128 {
        let u = k as f64 * h;
        let v = hp * u.sinh();
        let x = v.tanh();
        if x.abs() >= 1.0 {
            continue;
        }
        let w = hp * u.cosh() / (v.cosh() * v.cosh());
        let t = z - c * (1.0 + x) / (1.0 - x);
        s += w * (ell(t) - l0).exp() * 2.0 * c / ((1.0 - x) * (1.0 - x));
    }
    LOG_2_OVER_SQRT_2PI + l0 + (s * h).ln()
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    SkewNormal::check_params(p)?;
    check_not_nan(SkewNormal::NAME, "x", x)?;
    d[..4].iter_mut().for_each(|v| *v = T::zero());
    let (xf, xi, omega, alpha) = (x.f64(), p[0].f64(), p[1].f64(), p[2].f64());
    let z = (xf - xi) / omega;
    // 1 − F(z; α) = F(−z; −α)
    let (l, dz, da) = if upper {
        let (l, dz, da) = log_cdf_std(-z, -alpha);
        (l, -dz, -da)
    } else {
        log_cdf_std(z, alpha)
    };
    if !(l.is_finite() && dz.is_finite() && da.is_finite()) {
        return Ok(T::c(l));
    }
    d[0] = T::c(dz / omega);
    d[1] = T::c(-dz / omega);
    d[2] = T::c(-dz * z / omega);
    d[3] = T::c(da);
    Ok(T::c(l))
}

impl Cdf for SkewNormal {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
