//! Gamma distribution `gamma(alpha, beta)`, `α` shape, `β` rate.
//!
//! # Formula
//! `log p(x) = α log β − log Γ(α) + (α − 1) log x − β x`, `x > 0`.
//! Partials: `∂/∂x = (α − 1)/x − β`, `∂/∂α = log β − ψ(α) + log x`,
//! `∂/∂β = α/β − x`.
//! CDF: `P(α, βx)`, CCDF `Q(α, βx)` (regularised incomplete gamma, logs of
//! both tails accurate, `∂/∂α` by [`inc_gamma`]).

use super::{check_not_nan, check_positive, Cdf, Continuous, DistError, Support};
use crate::special::{digamma, inc_gamma, log_gamma};
use exmc_core::Real;

pub struct Gamma;

/// `(α−1) log x` with the `x = 0` limits.
#[inline(always)]
pub(crate) fn xlogy_m1<T: Real>(a: T, x: T) -> (T, T) {
    if x > T::zero() {
        ((a - T::one()) * x.ln(), x.ln())
    } else if a == T::one() {
        (T::zero(), T::neg_infinity())
    } else if a < T::one() {
        (T::infinity(), T::neg_infinity())
    } else {
        (T::neg_infinity(), T::neg_infinity())
    }
}

impl Continuous for Gamma {
    const NAME: &'static str = "gamma";
    const PARAMS: &'static [&'static str] = &["alpha", "beta"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "alpha", p[0])?;
        check_positive(Self::NAME, "beta", p[1])?;
        let lb = p[1].ln();
        dp[0] = lb - digamma(p[0]);
        dp[1] = p[0] / p[1];
        Ok(p[0] * lb - log_gamma(p[0]))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if x < T::zero() {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let (a, b) = (p[0], p[1]);
        let (t, lx) = xlogy_m1(a, x);
        *dx = (a - T::one()) / x - b;
        dp[0] = lx;
        dp[1] = -x;
        t - b * x
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        match rand_distr::Gamma::new(p[0], 1.0 / p[1]) {
            Ok(d) => rng.sample(d),
            Err(_) => f64::NAN,
        }
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    Gamma::check_params(p)?;
    check_not_nan(Gamma::NAME, "x", x)?;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    let (xf, a, b) = (x.f64(), p[0].f64(), p[1].f64());
    if xf <= 0.0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    let g = inc_gamma(a, b * xf);
    let (l, da, du) = if upper {
        (g.log_q, g.dlog_q_da, g.dlog_q_dx)
    } else {
        (g.log_p, g.dlog_p_da, g.dlog_p_dx)
    };
    if l == f64::NEG_INFINITY || !l.is_finite() {
        return Ok(T::c(l));
    }
    d[0] = T::c(du * b);
    d[1] = T::c(da);
    d[2] = T::c(du * xf);
    Ok(T::c(l))
}

impl Cdf for Gamma {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
