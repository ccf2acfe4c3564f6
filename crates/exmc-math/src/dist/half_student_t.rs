//! Half-Student-t distribution `half_student_t(nu, sigma)`: `student_t(ν, 0, σ)`
//! folded at zero, normalised on `x ≥ 0`.
//!
//! # Formula
//! `log p(x) = log 2 + log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ
//!             − (ν+1)/2 · log1p(z²/ν)`, `z = x/σ ≥ 0`; partials as
//! [`StudentT`](super::StudentT) with `μ = 0`.
//! CCDF: `I_{ν/(ν+z²)}(ν/2, ½)`; CDF: `I_{z²/(ν+z²)}(½, ν/2)` — both logs
//! computed directly by the incomplete beta (accurate in both tails).

use super::student_t::{t_beta_args, t_std_lpdf};
use super::{check_not_nan, check_positive, Cdf, Continuous, DistError, StudentT, Support};
use crate::special::inc_beta;
use exmc_core::Real;

pub struct HalfStudentT;

impl Continuous for HalfStudentT {
    const NAME: &'static str = "half_student_t";
    const PARAMS: &'static [&'static str] = &["nu", "sigma"];
    const SUPPORT: Support = Support::Positive;
    const HOISTED: u32 = 1;

    #[inline(always)]
    fn check_params<T: Real>(p: &[T]) -> Result<(), DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])
    }

    #[inline]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        Self::check_params(p)?;
        let q = [p[0], T::zero(), p[1]];
        let mut d = [T::zero(); 3];
        let v = StudentT::param_terms(&q, &mut d)?;
        dp[0] = d[0];
        dp[1] = T::zero();
        Ok(v + T::c(std::f64::consts::LN_2))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if x < T::zero() {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let q = [p[0], T::zero(), p[1]];
        let mut d = [T::zero(); 3];
        let v = StudentT::variate_terms(x, &q, dx, &mut d);
        dp[0] = d[0];
        dp[1] = d[2];
        v
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        StudentT::rng(rng, &[p[0], 0.0, p[1]]).abs()
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    HalfStudentT::check_params(p)?;
    check_not_nan(HalfStudentT::NAME, "x", x)?;
    let (nu, sigma) = (p[0].f64(), p[1].f64());
    let z = x.f64() / sigma;
    d[..3].iter_mut().for_each(|v| *v = T::zero());
    if z <= 0.0 {
        return Ok(if upper { T::zero() } else { T::neg_infinity() });
    }
    if z == f64::INFINITY {
        return Ok(if upper { T::neg_infinity() } else { T::zero() });
    }
    let (xb, yb) = t_beta_args(nu, z);
    let ib = inc_beta(0.5 * nu, 0.5, xb, yb);
    let dxb_dnu = xb * yb / nu; // = z²/(ν+z²)²
                                // ccdf = I (x_b = ν/(ν+z²)); cdf = 1 − I
    let (l, dl_da, dl_dxb) = if upper {
        (ib.log_i, ib.dlog_i[0], ib.dlog_i_dx)
    } else {
        (ib.log_1m_i, ib.dlog_1m_i[0], ib.dlog_1m_i_dx)
    };
    let dnu = 0.5 * dl_da + dl_dxb * dxb_dnu;
    // ∂/∂z = ± 2 pdf_t(z) / F
    let r = 2.0 * (t_std_lpdf(nu, z) - l).exp() * if upper { -1.0 } else { 1.0 };
    d[0] = T::c(r / sigma);
    d[1] = T::c(dnu);
    d[2] = T::c(-r * z / sigma);
    if l == f64::NEG_INFINITY {
        d[..3].iter_mut().for_each(|v| *v = T::zero());
    }
    Ok(T::c(l))
}

impl Cdf for HalfStudentT {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
