//! Student-t distribution `student_t(nu, mu, sigma)`.
//!
//! # Formula
//! `log p(x) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ
//!             − (ν+1)/2 · log1p(z²/ν)`, `z = (x − μ)/σ`.
//! Partials: `∂/∂x = −(ν+1) z / (σ (ν + z²))`, `∂/∂μ = −∂/∂x`,
//! `∂/∂σ = ((ν+1) z²/(ν + z²) − 1)/σ`,
//! `∂/∂ν = ½ψ((ν+1)/2) − ½ψ(ν/2) − 1/(2ν) − ½ log1p(z²/ν) + (ν+1) z² / (2ν(ν + z²))`.
//!
//! Only the `ν` terms (two log-gammas) are in `param_terms`
//! ([`Continuous::HOISTED`] = ν): `− log σ` is a variate term, so a vector of
//! scales with a scalar `ν` (the `sv` model) pays for `lgamma` once.
//!
//! CDF: for `t < 0`, `F(t) = ½ I_{ν/(ν+t²)}(ν/2, ½)` (and `1 − F(t) = F(−t)`),
//! the regularised incomplete beta with `1 − x = t²/(ν+t²)` passed exactly.
//! `∂/∂ν` uses the incomplete beta's shape partial.

use super::{
    check_not_nan, check_positive, loc_scale_partials, Cdf, Continuous, DistError, Support,
};
use crate::special::{digamma_f64, inc_beta, lgamma_f64, log1m_exp};
use exmc_core::Real;

pub struct StudentT;

const HALF_LN_PI: f64 = 0.572_364_942_924_700_1;

impl Continuous for StudentT {
    const NAME: &'static str = "student_t";
    const PARAMS: &'static [&'static str] = &["nu", "mu", "sigma"];
    const SUPPORT: Support = Support::Real;
    const HOISTED: u32 = 1;

    #[inline(always)]
    fn check_params<T: Real>(p: &[T]) -> Result<(), DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        super::check_finite(Self::NAME, "mu", p[1])?;
        check_positive(Self::NAME, "sigma", p[2])
    }

    #[inline]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        // in f64: for large ν the two log-gammas nearly cancel
        let nu = p[0].f64();
        let (h1, h0) = (0.5 * (nu + 1.0), 0.5 * nu);
        dp[0] = T::c(0.5 * (digamma_f64(h1) - digamma_f64(h0) - 1.0 / nu));
        dp[1] = T::zero();
        dp[2] = T::zero();
        Ok(T::c(
            lgamma_f64(h1) - lgamma_f64(h0) - 0.5 * nu.ln() - HALF_LN_PI,
        ))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (nu, mu, sigma) = (p[0], p[1], p[2]);
        let inv_sigma = sigma.recip();
        let z = (x - mu) * inv_sigma;
        let z2 = z * z;
        let denom = (nu + z2).recip();
        let np1 = nu + T::one();
        let l1p = (z2 / nu).ln_1p();
        let g = np1 * z * denom * inv_sigma; // −∂/∂x
        *dx = -g;
        dp[0] = T::c(0.5) * (np1 * z2 * denom / nu - l1p);
        dp[1] = g;
        dp[2] = (np1 * z2 * denom - T::one()) * inv_sigma;
        -sigma.ln() - T::c(0.5) * np1 * l1p
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        match rand_distr::StudentT::new(p[0]) {
            Ok(d) if p[2] > 0.0 => p[1] + p[2] * rng.sample(d),
            _ => f64::NAN,
        }
    }
}

/// `(log F(t), ∂ log F/∂ν)` of the standard Student-t lower tail at `t ≤ 0`
/// (so `F ≤ ½`), f64.
pub(crate) fn t_lower_tail(nu: f64, t: f64) -> (f64, f64) {
    if t == 0.0 {
        return (-std::f64::consts::LN_2, 0.0);
    }
    let (xb, yb) = t_beta_args(nu, t);
    let ib = inc_beta(0.5 * nu, 0.5, xb, yb);
    let l = ib.log_i - std::f64::consts::LN_2;
    let dxb_dnu = xb * yb / nu; // = t²/(ν+t²)²
    let dnu = 0.5 * ib.dlog_i[0]
        + if dxb_dnu == 0.0 {
            0.0
        } else {
            ib.dlog_i_dx * dxb_dnu
        };
    (l, dnu)
}

/// `(ν/(ν+t²), t²/(ν+t²))` without overflow for huge `|t|`.
pub(crate) fn t_beta_args(nu: f64, t: f64) -> (f64, f64) {
    let t2 = t * t;
    if t2 > nu {
        let r = nu / t2;
        (r / (1.0 + r), 1.0 / (1.0 + r))
    } else {
        let s = nu + t2;
        (nu / s, t2 / s)
    }
}

/// Log density of the standard t at `t` (f64), for `pdf/F` partials.
pub(crate) fn t_std_lpdf(nu: f64, t: f64) -> f64 {
    lgamma_f64(0.5 * (nu + 1.0))
        - lgamma_f64(0.5 * nu)
        - 0.5 * (nu.ln() + std::f64::consts::PI.ln())
        - 0.5 * (nu + 1.0) * (t * t / nu).ln_1p()
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    StudentT::check_params(p)?;
    check_not_nan(StudentT::NAME, "x", x)?;
    let (nu, sigma) = (p[0].f64(), p[2].f64());
    let z = (x.f64() - p[1].f64()) / sigma;
    // upper tail at z == lower tail at −z
    let t = if upper { -z } else { z };
    if t == f64::NEG_INFINITY || t == f64::INFINITY {
        d[..4].iter_mut().for_each(|v| *v = T::zero());
        return Ok(if t < 0.0 {
            T::neg_infinity()
        } else {
            T::zero()
        });
    }
    let (small, dsmall) = t_lower_tail(nu, -t.abs());
    let (l, dnu) = if t <= 0.0 {
        (small, dsmall)
    } else {
        let big = log1m_exp(small);
        (big, -(small - big).exp() * dsmall)
    };
    // ∂ log F/∂t = pdf(t)/F(t)
    let r = (t_std_lpdf(nu, t) - l).exp();
    let r_z = if upper { -r } else { r };
    loc_scale_partials(T::c(r_z), T::c(z), p[2], &mut d[1..]);
    d[0] = d[1];
    d[1] = T::c(dnu);
    Ok(T::c(l))
}

impl Cdf for StudentT {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}

/// `student_t(nu, mu, exp(log_sigma))` with the scale given on the log
/// scale: the compiler's rewrite of a Student-t whose scale is `exp(u)`
/// (stochastic volatility), which saves the `exp`, the `log` of it and a
/// division per element.
///
/// # Formula
/// As [`StudentT`] with `log σ = log_sigma`, `1/σ = exp(-log_sigma)`;
/// `∂/∂log_sigma = σ ∂/∂σ = (ν+1) z²/(ν+z²) − 1`.
pub struct StudentTLogScale;

impl Continuous for StudentTLogScale {
    const NAME: &'static str = "student_t_log_scale";
    const PARAMS: &'static [&'static str] = &["nu", "mu", "log_sigma"];
    const SUPPORT: Support = Support::Real;
    const HOISTED: u32 = 1;

    #[inline(always)]
    fn check_params<T: Real>(p: &[T]) -> Result<(), DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        super::check_finite(Self::NAME, "mu", p[1])?;
        super::check_finite(Self::NAME, "log_sigma", p[2])
    }

    #[inline]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        let v = StudentT::param_terms(&[p[0], p[1], T::one()], dp)?;
        Ok(v)
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (nu, mu, ls) = (p[0], p[1], p[2]);
        let inv_sigma = (-ls).exp();
        let z = (x - mu) * inv_sigma;
        let z2 = z * z;
        let inv_nu = nu.recip();
        let l1p = (z2 * inv_nu).ln_1p();
        let np1 = nu + T::one();
        let denom = (nu + z2).recip();
        let frac = np1 * z2 * denom; // (ν+1) z²/(ν+z²)
        let g = np1 * z * denom * inv_sigma; // −∂/∂x
        *dx = -g;
        dp[0] = T::c(0.5) * (frac * inv_nu - l1p);
        dp[1] = g;
        dp[2] = frac - T::one();
        -ls - T::c(0.5) * np1 * l1p
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        StudentT::rng(rng, &[p[0], p[1], p[2].exp()])
    }
}
