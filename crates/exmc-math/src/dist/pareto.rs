//! Pareto distribution `pareto(y_min, alpha)`: scale `y_min > 0`, shape `α`.
//!
//! # Formula
//! `log p(x) = log α + α log y_min − (α + 1) log x`, `x ≥ y_min`.
//! Partials: `∂/∂x = −(α + 1)/x`, `∂/∂y_min = α/y_min`,
//! `∂/∂α = 1/α + log y_min − log x`.
//! CCDF: `log S = α (log y_min − log x)`; CDF: `log F = log1m_exp(log S)`.

use super::{check_not_nan, check_positive, open01, Cdf, Continuous, DistError, Support};
use crate::special::log1m_exp;
use exmc_core::Real;

pub struct Pareto;

impl Continuous for Pareto {
    const NAME: &'static str = "pareto";
    const PARAMS: &'static [&'static str] = &["y_min", "alpha"];
    const SUPPORT: Support = Support::ParamLower { lower_param: 0 };

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "y_min", p[0])?;
        check_positive(Self::NAME, "alpha", p[1])?;
        let lm = p[0].ln();
        dp[0] = p[1] / p[0];
        dp[1] = p[1].recip() + lm;
        Ok(p[1].ln() + p[1] * lm)
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x >= p[0]) {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let lx = x.ln();
        *dx = -(p[1] + T::one()) / x;
        dp[0] = T::zero();
        dp[1] = -lx;
        -(p[1] + T::one()) * lx
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0].is_finite() && p[1] > 0.0 && p[1].is_finite()) {
            return f64::NAN;
        }
        p[0] * open01(rng).powf(-1.0 / p[1])
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Pareto::check_params(p)?;
    check_not_nan(Pareto::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    if !(x > p[0]) {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let (m, a) = (p[0], p[1]);
    // log(y_min/x) = −log1p((x − y_min)/y_min): accurate for x near y_min
    let l = -((x - m) / m).ln_1p();
    let ls = a * l; // log S
    // ∂ log S: x → −α/x, y_min → α/y_min, α → log(y_min/x)
    let k = if upper { T::one() } else { -(-ls).exp_m1().recip() };
    let v = if upper { ls } else { log1m_exp(ls) };
    if !(v.is_finite() && k.is_finite()) {
        return Ok(v);
    }
    d[0] = -k * a / x;
    d[1] = k * a / m;
    d[2] = k * l;
    Ok(v)
}

impl Cdf for Pareto {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
