//! Fréchet distribution `frechet(alpha, sigma)`: shape `α`, scale `σ`.
//!
//! # Formula
//! `log p(x) = log α − log σ − (1 + α) log(x/σ) − (x/σ)^{−α}`, `x > 0`.
//! With `ℓ = log(x/σ)`, `w = (x/σ)^{−α}`: `∂/∂x = (αw − 1 − α)/x`,
//! `∂/∂α = 1/α − ℓ + w ℓ`, `∂/∂σ = α(1 − w)/σ`.
//! CDF: `log F = −w`; CCDF: `log S = log1m_exp(−w)`.

use super::{check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Frechet;

impl Continuous for Frechet {
    const NAME: &'static str = "frechet";
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
        if !(x > T::zero()) {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let (a, s) = (p[0], p[1]);
        let l = (x / s).ln();
        let w = (-a * l).exp();
        *dx = (a * w - T::one() - a) / x;
        dp[0] = w * l - l;
        dp[1] = (T::one() + a - a * w) / s;
        -(T::one() + a) * l - w
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0].is_finite() && p[1] > 0.0 && p[1].is_finite()) {
            return f64::NAN;
        }
        // F(x) = U ⇒ x = σ (−log U)^{−1/α}
        p[1] * (-open01(rng).ln()).powf(-1.0 / p[0])
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Frechet::check_params(p)?;
    check_not_nan(Frechet::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    if !(x > T::zero()) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (a, s) = (p[0], p[1]);
    let l = (x / s).ln();
    let w = (-a * l).exp();
    // ∂(−w): x → αw/x, α → wℓ, σ → −αw/σ
    let (v, k) = if upper { (log1m_exp(-w), -w.exp_m1().recip()) } else { (-w, T::one()) };
    if !(v.is_finite() && k.is_finite()) {
        return Ok(v);
    }
    d[0] = k * a * w / x;
    d[1] = k * w * l;
    d[2] = -k * a * w / s;
    Ok(v)
}

impl Cdf for Frechet {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
