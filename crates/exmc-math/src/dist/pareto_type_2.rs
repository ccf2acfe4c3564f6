//! Pareto type II (Lomax with location) `pareto_type_2(mu, lambda, alpha)`.
//!
//! # Formula
//! `log p(x) = log α − log λ − (α + 1) log1p((x − μ)/λ)`, `x ≥ μ`.
//! With `u = λ + x − μ`: `∂/∂x = −(α + 1)/u`, `∂/∂μ = (α + 1)/u`,
//! `∂/∂λ = −1/λ + (α + 1)(x − μ)/(λ u)`, `∂/∂α = 1/α − log1p((x − μ)/λ)`.
//! CCDF: `log S = −α log1p((x − μ)/λ)`; CDF: `log1m_exp(log S)`.

use super::{check_finite, check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct ParetoType2;

impl Continuous for ParetoType2 {
    const NAME: &'static str = "pareto_type_2";
    const PARAMS: &'static [&'static str] = &["mu", "lambda", "alpha"];
    const SUPPORT: Support = Support::ParamLower { lower_param: 0 };
    const HOISTED: u32 = (1 << 1) | (1 << 2);

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "lambda", p[1])?;
        check_positive(Self::NAME, "alpha", p[2])?;
        dp[0] = T::zero();
        dp[1] = -p[1].recip();
        dp[2] = p[2].recip();
        Ok(p[2].ln() - p[1].ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (mu, lam, a) = (p[0], p[1], p[2]);
        if !(x >= mu) {
            *dx = T::zero();
            dp[..3].iter_mut().for_each(|v| *v = T::zero());
            return T::neg_infinity();
        }
        let t = x - mu;
        let u = lam + t;
        let l1 = (t / lam).ln_1p();
        let a1 = a + T::one();
        *dx = -a1 / u;
        dp[0] = a1 / u;
        dp[1] = a1 * t / (lam * u);
        dp[2] = -l1;
        -a1 * l1
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0].is_finite() && p[1] > 0.0 && p[1].is_finite() && p[2] > 0.0 && p[2].is_finite()) {
            return f64::NAN;
        }
        // S(x) = U ⇒ x = μ + λ (U^{−1/α} − 1)
        p[0] + p[1] * (open01(rng).ln() * (-1.0 / p[2])).exp_m1()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    ParetoType2::check_params(p)?;
    check_not_nan(ParetoType2::NAME, "x", x)?;
    d[..4].iter_mut().for_each(|v| *v = T::zero());
    let (mu, lam, a) = (p[0], p[1], p[2]);
    if !(x > mu) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let t = x - mu;
    let u = lam + t;
    let l1 = (t / lam).ln_1p();
    let ls = -a * l1;
    let k = if upper { T::one() } else { -(-ls).exp_m1().recip() };
    let v = if upper { ls } else { log1m_exp(ls) };
    if !(v.is_finite() && k.is_finite()) {
        return Ok(v);
    }
    // ∂ log S: x → −α/u, μ → α/u, λ → α t/(λ u), α → −log1p(t/λ)
    d[0] = -k * a / u;
    d[1] = k * a / u;
    d[2] = k * a * t / (lam * u);
    d[3] = -k * l1;
    Ok(v)
}

impl Cdf for ParetoType2 {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
