//! Double-exponential (Laplace) distribution `double_exponential(mu, sigma)`.
//!
//! # Formula
//! `log p(x) = −log 2 − log σ − |x − μ|/σ`.
//! Partials: `∂/∂x = −sign(x − μ)/σ`, `∂/∂μ = sign(x − μ)/σ`,
//! `∂/∂σ = −1/σ + |x − μ|/σ²` (`sign(0) = 0`).
//! CDF: `½ eᶻ` for `z < 0`, `1 − ½ e⁻ᶻ` above (`z = (x − μ)/σ`); the log of
//! the side that is near 1 via `log1p`.

use super::{
    check_finite, check_not_nan, check_positive, loc_scale_partials, open01, Cdf, Continuous,
    DistError, Support,
};
use exmc_core::Real;

pub struct DoubleExponential;

const LN_2: f64 = std::f64::consts::LN_2;

impl Continuous for DoubleExponential {
    const NAME: &'static str = "double_exponential";
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
        Ok(-p[1].ln() - T::c(LN_2))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let inv = p[1].recip();
        let r = x - p[0];
        let s = if r > T::zero() {
            T::one()
        } else if r < T::zero() {
            -T::one()
        } else {
            T::zero()
        };
        *dx = -s * inv;
        dp[0] = s * inv;
        let a = r.abs() * inv;
        dp[1] = a * inv;
        -a
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > 0.0) {
            return f64::NAN;
        }
        let u = open01(rng) - 0.5;
        p[0] - p[1] * u.signum() * (1.0 - 2.0 * u.abs()).ln()
    }
}

/// `(log F(z), d log F/dz)` of the standard Laplace (f64).
fn std_lcdf(z: f64) -> (f64, f64) {
    if z < 0.0 {
        (z - LN_2, 1.0)
    } else {
        let h = 0.5 * (-z).exp();
        let l = (-h).ln_1p();
        (l, h / (1.0 - h))
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    DoubleExponential::check_params(p)?;
    check_not_nan(DoubleExponential::NAME, "x", x)?;
    let z = (x.f64() - p[0].f64()) / p[1].f64();
    let (l, r) = if upper {
        let (l, r) = std_lcdf(-z);
        (l, -r)
    } else {
        std_lcdf(z)
    };
    let r = if l == f64::NEG_INFINITY || !z.is_finite() {
        0.0
    } else {
        r
    };
    loc_scale_partials(T::c(r), T::c(if z.is_finite() { z } else { 0.0 }), p[1], d);
    Ok(T::c(l))
}

impl Cdf for DoubleExponential {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
