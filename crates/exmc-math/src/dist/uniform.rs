//! Uniform distribution `uniform(alpha, beta)` on `[α, β]`.
//!
//! # Formula
//! `log p(x) = −log(β − α)` for `α ≤ x ≤ β`, `-inf` outside.
//! Partials: `∂/∂x = 0`, `∂/∂α = 1/(β − α)`, `∂/∂β = −1/(β − α)`.
//! CDF: `log(x − α) − log(β − α)`; CCDF: `log(β − x) − log(β − α)`.

use super::{check_finite, check_not_nan, open01, Cdf, Continuous, DistError, Support};
use exmc_core::Real;

pub struct Uniform;

impl Continuous for Uniform {
    const NAME: &'static str = "uniform";
    const PARAMS: &'static [&'static str] = &["alpha", "beta"];
    const SUPPORT: Support = Support::ParamInterval {
        lower_param: 0,
        upper_param: 1,
    };

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "alpha", p[0])?;
        check_finite(Self::NAME, "beta", p[1])?;
        if !(p[1] > p[0]) {
            return Err(DistError {
                dist: Self::NAME,
                arg: "beta",
                must_be: "greater than alpha",
                value: p[1].f64(),
            });
        }
        let w = (p[1] - p[0]).recip();
        dp[0] = w;
        dp[1] = -w;
        Ok(w.ln())
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        *dx = T::zero();
        dp[0] = T::zero();
        dp[1] = T::zero();
        if x >= p[0] && x <= p[1] {
            T::zero()
        } else {
            T::neg_infinity()
        }
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[1] > p[0]) {
            return f64::NAN;
        }
        p[0] + (p[1] - p[0]) * open01(rng)
    }
}

impl Cdf for Uniform {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        check_not_nan(Self::NAME, "x", x)?;
        d[..3].iter_mut().for_each(|v| *v = T::zero());
        if x <= p[0] {
            return Ok(T::neg_infinity());
        }
        if x >= p[1] {
            return Ok(T::zero());
        }
        let (u, w) = ((x - p[0]).recip(), (p[1] - p[0]).recip());
        d[0] = u;
        d[1] = w - u;
        d[2] = -w;
        Ok(((x - p[0]) * w).ln())
    }

    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        check_not_nan(Self::NAME, "x", x)?;
        d[..3].iter_mut().for_each(|v| *v = T::zero());
        if x <= p[0] {
            return Ok(T::zero());
        }
        if x >= p[1] {
            return Ok(T::neg_infinity());
        }
        let (u, w) = ((p[1] - x).recip(), (p[1] - p[0]).recip());
        d[0] = -u;
        d[1] = w;
        d[2] = u - w;
        Ok(((p[1] - x) * w).ln())
    }
}
