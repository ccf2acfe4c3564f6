//! Inverse chi-square `inv_chi_square(nu)` and scaled inverse chi-square
//! `scaled_inv_chi_square(nu, s)`: `inv_gamma(ν/2, 1/2)` and
//! `inv_gamma(ν/2, ν s²/2)`.
//!
//! # Formula
//! `inv_chi_square`: `log p(x) = −(ν/2) log 2 − log Γ(ν/2) − (ν/2 + 1) log x − 1/(2x)`;
//! `∂/∂x = −(ν/2 + 1)/x + 1/(2x²)`, `∂/∂ν = −½(log 2 + ψ(ν/2) + log x)`.
//!
//! `scaled_inv_chi_square`: `log p(x) = (ν/2) log(ν/2) − log Γ(ν/2) + ν log s
//! − (ν/2 + 1) log x − ν s²/(2x)`;
//! `∂/∂x = −(ν/2 + 1)/x + ν s²/(2x²)`,
//! `∂/∂ν = ½ log(ν/2) + ½ − ½ψ(ν/2) + log s − ½ log x − s²/(2x)`,
//! `∂/∂s = ν/s − ν s/x`.
//! CDFs: those of the inverse gamma (`Q(ν/2, β/x)`), by the chain rule.

use super::{check_positive, Cdf, Continuous, DistError, InvGamma, Support};
use crate::special::{digamma, log_gamma};
use exmc_core::Real;

pub struct InvChiSquare;
pub struct ScaledInvChiSquare;

const HALF_LN_2: f64 = 0.346_573_590_279_972_65;

/// Returns -inf with zero partials (outside the support).
fn outside<T: Real>(dx: &mut T, dp: &mut [T]) -> T {
    *dx = T::zero();
    dp.iter_mut().for_each(|v| *v = T::zero());
    T::neg_infinity()
}

impl Continuous for InvChiSquare {
    const NAME: &'static str = "inv_chi_square";
    const PARAMS: &'static [&'static str] = &["nu"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        let h = T::c(0.5) * p[0];
        dp[0] = -T::c(HALF_LN_2) - T::c(0.5) * digamma(h);
        Ok(-p[0] * T::c(HALF_LN_2) - log_gamma(h))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x > T::zero()) {
            return outside(dx, dp);
        }
        let h = T::c(0.5) * p[0];
        let (lx, inv) = (x.ln(), x.recip());
        *dx = (T::c(0.5) * inv - (h + T::one())) * inv;
        dp[0] = T::c(-0.5) * lx;
        -(h + T::one()) * lx - T::c(0.5) * inv
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0].is_finite()) {
            return f64::NAN;
        }
        InvGamma::rng(rng, &[0.5 * p[0], 0.5])
    }
}

impl Cdf for InvChiSquare {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        inv_chi_cdf(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        inv_chi_cdf(x, p, d, true)
    }
}

fn inv_chi_cdf<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    InvChiSquare::check_params(p)?;
    let q = [T::c(0.5) * p[0], T::c(0.5)];
    let mut g = [T::zero(); 3];
    let v = if upper { InvGamma::lccdf(x, &q, &mut g) } else { InvGamma::lcdf(x, &q, &mut g) }
        .map_err(|e| DistError { dist: InvChiSquare::NAME, ..e })?;
    d[0] = g[0];
    d[1] = T::c(0.5) * g[1];
    Ok(v)
}

impl Continuous for ScaledInvChiSquare {
    const NAME: &'static str = "scaled_inv_chi_square";
    const PARAMS: &'static [&'static str] = &["nu", "s"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        check_positive(Self::NAME, "s", p[1])?;
        let (nu, s) = (p[0], p[1]);
        let h = T::c(0.5) * nu;
        let (lh, ls) = (h.ln(), s.ln());
        dp[0] = T::c(0.5) * (lh + T::one() - digamma(h)) + ls;
        dp[1] = nu / s;
        Ok(h * lh - log_gamma(h) + nu * ls)
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x > T::zero()) {
            return outside(dx, dp);
        }
        let (nu, s) = (p[0], p[1]);
        let h = T::c(0.5) * nu;
        let (lx, inv) = (x.ln(), x.recip());
        let s2 = s * s;
        *dx = (h * s2 * inv - (h + T::one())) * inv;
        dp[0] = T::c(-0.5) * (lx + s2 * inv);
        dp[1] = -nu * s * inv;
        -(h + T::one()) * lx - h * s2 * inv
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0].is_finite() && p[1] > 0.0 && p[1].is_finite()) {
            return f64::NAN;
        }
        InvGamma::rng(rng, &[0.5 * p[0], 0.5 * p[0] * p[1] * p[1]])
    }
}

fn scaled_cdf<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    ScaledInvChiSquare::check_params(p)?;
    let (nu, s) = (p[0], p[1]);
    let q = [T::c(0.5) * nu, T::c(0.5) * nu * s * s];
    let mut g = [T::zero(); 3];
    let v = if upper { InvGamma::lccdf(x, &q, &mut g) } else { InvGamma::lcdf(x, &q, &mut g) }
        .map_err(|e| DistError { dist: ScaledInvChiSquare::NAME, ..e })?;
    // α = ν/2, β = ν s²/2: ∂ν = ½ ∂α + ½ s² ∂β, ∂s = ν s ∂β
    d[0] = g[0];
    d[1] = T::c(0.5) * (g[1] + s * s * g[2]);
    d[2] = nu * s * g[2];
    Ok(v)
}

impl Cdf for ScaledInvChiSquare {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        scaled_cdf(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        scaled_cdf(x, p, d, true)
    }
}
