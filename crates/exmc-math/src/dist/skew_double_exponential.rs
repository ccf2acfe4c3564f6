//! Skew double exponential (asymmetric Laplace)
//! `skew_double_exponential(mu, sigma, tau)`, `0 < τ < 1` (the quantile
//! that `μ` is).
//!
//! # Formula
//! `log p(x) = log 2 + log τ + log(1 − τ) − log σ − (2/σ) D`, with
//! `D = (1 − τ)(μ − x)` for `x < μ` and `D = τ(x − μ)` otherwise.
//! Partials:
//! `x < μ`: `∂/∂x = 2(1 − τ)/σ`, `∂/∂τ = 1/τ − 1/(1 − τ) + 2(μ − x)/σ`;
//! `x ≥ μ`: `∂/∂x = −2τ/σ`, `∂/∂τ = 1/τ − 1/(1 − τ) − 2(x − μ)/σ`;
//! `∂/∂μ = −∂/∂x`, `∂/∂σ = −1/σ + 2D/σ²`.
//! CDF: `x < μ`: `F = τ exp(−2(1 − τ)(μ − x)/σ)`;
//! `x ≥ μ`: `1 − F = (1 − τ) exp(−2τ(x − μ)/σ)`.
//! (Stan accepts `τ ∈ [0, 1]`; at the ends the density is 0 everywhere, so
//! exmc rejects them.)

use super::{check_finite, check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct SkewDoubleExponential;

const LN_2: f64 = std::f64::consts::LN_2;

impl Continuous for SkewDoubleExponential {
    const NAME: &'static str = "skew_double_exponential";
    const PARAMS: &'static [&'static str] = &["mu", "sigma", "tau"];
    const SUPPORT: Support = Support::Real;
    const HOISTED: u32 = (1 << 1) | (1 << 2);

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])?;
        let tau = p[2];
        if !(tau > T::zero() && tau < T::one()) {
            return Err(DistError { dist: Self::NAME, arg: "tau", must_be: "in (0, 1)", value: tau.f64() });
        }
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        dp[2] = tau.recip() - (T::one() - tau).recip();
        Ok(T::c(LN_2) + tau.ln() + (-tau).ln_1p() - p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (mu, s, tau) = (p[0], p[1], p[2]);
        let two_s = T::c(2.0) / s;
        let (dd, dist_t) = if x < mu {
            *dx = two_s * (T::one() - tau);
            ((T::one() - tau) * (mu - x), mu - x)
        } else {
            *dx = -two_s * tau;
            (tau * (x - mu), mu - x)
        };
        dp[0] = -*dx;
        dp[1] = two_s * dd / s;
        // ∂D/∂τ = −(μ − x) for x < μ and (x − μ) otherwise: −(μ − x) both ways.
        dp[2] = two_s * dist_t;
        -two_s * dd
    }

    /// Inverse CDF of a uniform draw.
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        let (mu, s, tau) = (p[0], p[1], p[2]);
        if !(mu.is_finite() && s > 0.0 && s.is_finite() && tau > 0.0 && tau < 1.0) {
            return f64::NAN;
        }
        let u = open01(rng);
        if u < tau {
            mu + s / (2.0 * (1.0 - tau)) * (u / tau).ln()
        } else {
            mu - s / (2.0 * tau) * ((1.0 - u) / (1.0 - tau)).ln()
        }
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    SkewDoubleExponential::check_params(p)?;
    check_not_nan(SkewDoubleExponential::NAME, "x", x)?;
    d[..4].iter_mut().for_each(|v| *v = T::zero());
    let (mu, s, tau) = (p[0], p[1], p[2]);
    if x.is_infinite() {
        let below = x < T::zero();
        return Ok(if below == upper { T::zero() } else { T::neg_infinity() });
    }
    let two = T::c(2.0);
    // The small tail `log G` with partials [x, μ, σ, τ]; the other is log1m_exp.
    let (lg, g, small_is_lower) = if x < mu {
        let t = mu - x;
        let e = two * (T::one() - tau) / s;
        (tau.ln() - e * t, [e, -e, e * t / s, tau.recip() + two * t / s], true)
    } else {
        let t = x - mu;
        let e = two * tau / s;
        (
            (-tau).ln_1p() - e * t,
            [-e, e, e * t / s, -(T::one() - tau).recip() - two * t / s],
            false,
        )
    };
    let (v, k) = if small_is_lower != upper {
        (lg, T::one())
    } else {
        (log1m_exp(lg), -(-lg).exp_m1().recip())
    };
    if !(v.is_finite() && k.is_finite()) {
        return Ok(v);
    }
    for i in 0..4 {
        d[i] = k * g[i];
    }
    Ok(v)
}

impl Cdf for SkewDoubleExponential {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
