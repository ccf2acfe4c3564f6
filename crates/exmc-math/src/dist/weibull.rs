//! Weibull distribution `weibull(alpha, sigma)`, `α` shape, `σ` scale.
//!
//! # Formula
//! `log p(x) = log α − log σ + (α − 1) log(x/σ) − (x/σ)^α`, `x ≥ 0`.
//! With `ℓ = log(x/σ)`, `w = (x/σ)^α`: `∂/∂x = (α − 1 − α w)/x`,
//! `∂/∂α = 1/α + ℓ − w ℓ`, `∂/∂σ = α (w − 1)/σ`.
//! CDF: `log F = log1m_exp(−w)`; CCDF: `log S = −w`.

use super::gamma::xlogy_m1;
use super::{check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Weibull;

impl Continuous for Weibull {
    const NAME: &'static str = "weibull";
    const PARAMS: &'static [&'static str] = &["alpha", "sigma"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "alpha", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])?;
        dp[0] = p[0].recip();
        dp[1] = -p[1].recip();
        Ok(p[0].ln() - p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if x < T::zero() {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let (a, s) = (p[0], p[1]);
        let u = x / s;
        let (t, l) = xlogy_m1(a, u);
        let w = u.powf(a);
        *dx = (a - T::one() - a * w) / x;
        dp[0] = if x > T::zero() { l - w * l } else { T::zero() };
        dp[1] = (a * w - (a - T::one())) / s;
        t - w
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[1] > 0.0) {
            return f64::NAN;
        }
        p[1] * (-open01(rng).ln()).powf(1.0 / p[0])
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Weibull::check_params(p)?;
    check_not_nan(Weibull::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    if !(x > T::zero()) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (xf, a, s) = (x.f64(), p[0].f64(), p[1].f64());
    let l = (xf / s).ln();
    let w = (a * l).exp();
    // dw/dx = α w/x, dw/dα = w ℓ, dw/dσ = −α w/σ
    let (v, k) = if upper {
        (-w, -1.0)
    } else {
        (log1m_exp(-w), 1.0 / w.exp_m1())
    };
    if !v.is_finite() || !k.is_finite() {
        return Ok(T::c(v));
    }
    d[0] = T::c(k * a * w / xf);
    d[1] = T::c(k * w * l);
    d[2] = T::c(-k * a * w / s);
    Ok(T::c(v))
}

impl Cdf for Weibull {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
