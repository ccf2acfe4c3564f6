//! Beta distribution `beta(alpha, beta)`.
//!
//! # Formula
//! `log p(x) = (α − 1) log x + (β − 1) log(1 − x) − log B(α, β)`, `0 ≤ x ≤ 1`.
//! Partials: `∂/∂x = (α − 1)/x − (β − 1)/(1 − x)`,
//! `∂/∂α = log x − ψ(α) + ψ(α + β)`, `∂/∂β = log(1 − x) − ψ(β) + ψ(α + β)`.
//! CDF: `I_x(α, β)` (regularised incomplete beta, both tails and the shape
//! partials by [`inc_beta`]).

use super::gamma::xlogy_m1;
use super::{check_not_nan, check_positive, Cdf, Continuous, DistError, Support};
use crate::special::{digamma, inc_beta, lbeta};
use exmc_core::Real;

pub struct Beta;

impl Continuous for Beta {
    const NAME: &'static str = "beta";
    const PARAMS: &'static [&'static str] = &["alpha", "beta"];
    const SUPPORT: Support = Support::Unit;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "alpha", p[0])?;
        check_positive(Self::NAME, "beta", p[1])?;
        let psab = digamma(p[0] + p[1]);
        dp[0] = psab - digamma(p[0]);
        dp[1] = psab - digamma(p[1]);
        Ok(-lbeta(p[0], p[1]))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x >= T::zero() && x <= T::one()) {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let (a, b) = (p[0], p[1]);
        let y = T::one() - x;
        let (t1, lx) = xlogy_m1(a, x);
        let (t2, ly) = xlogy_m1(b, y);
        *dx = (a - T::one()) / x - (b - T::one()) / y;
        dp[0] = lx;
        dp[1] = ly;
        t1 + t2
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        match rand_distr::Beta::new(p[0], p[1]) {
            Ok(d) => rng.sample(d),
            Err(_) => f64::NAN,
        }
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Beta::check_params(p)?;
    check_not_nan(Beta::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    let xf = x.f64();
    if xf <= 0.0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    if xf >= 1.0 {
        return Ok(if upper { T::neg_infinity() } else { T::zero() });
    }
    let ib = inc_beta(p[0].f64(), p[1].f64(), xf, 1.0 - xf);
    let (l, da, ddx) = if upper {
        (ib.log_1m_i, ib.dlog_1m_i, ib.dlog_1m_i_dx)
    } else {
        (ib.log_i, ib.dlog_i, ib.dlog_i_dx)
    };
    if !l.is_finite() {
        return Ok(T::c(l));
    }
    d[0] = T::c(ddx);
    d[1] = T::c(da[0]);
    d[2] = T::c(da[1]);
    Ok(T::c(l))
}

impl Cdf for Beta {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
