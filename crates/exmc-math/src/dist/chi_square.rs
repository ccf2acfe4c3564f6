//! Chi-square distribution `chi_square(nu)` = `gamma(ν/2, ½)`.
//!
//! # Formula
//! `log p(x) = −(ν/2) log 2 − log Γ(ν/2) + (ν/2 − 1) log x − x/2`, `x ≥ 0`.
//! Partials: `∂/∂x = (ν/2 − 1)/x − ½`, `∂/∂ν = ½ (log x − log 2 − ψ(ν/2))`.
//! CDF / CCDF: `P(ν/2, x/2)`, `Q(ν/2, x/2)`.

use super::gamma::Gamma;
use super::{check_positive, Cdf, Continuous, DistError, Support};
use exmc_core::Real;

pub struct ChiSquare;

impl Continuous for ChiSquare {
    const NAME: &'static str = "chi_square";
    const PARAMS: &'static [&'static str] = &["nu"];
    const SUPPORT: Support = Support::Positive;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "nu", p[0])?;
        let mut d = [T::zero(); 2];
        let v = Gamma::param_terms(&[T::c(0.5) * p[0], T::c(0.5)], &mut d)?;
        dp[0] = T::c(0.5) * d[0];
        Ok(v)
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let mut d = [T::zero(); 2];
        let v = Gamma::variate_terms(x, &[T::c(0.5) * p[0], T::c(0.5)], dx, &mut d);
        dp[0] = T::c(0.5) * d[0];
        v
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        Gamma::rng(rng, &[0.5 * p[0], 0.5])
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    check_positive(ChiSquare::NAME, "nu", p[0])?;
    let mut dd = [T::zero(); 3];
    let q = [T::c(0.5) * p[0], T::c(0.5)];
    let v = if upper {
        Gamma::lccdf(x, &q, &mut dd)
    } else {
        Gamma::lcdf(x, &q, &mut dd)
    }
    .map_err(|e| DistError {
        dist: ChiSquare::NAME,
        ..e
    })?;
    d[0] = dd[0];
    d[1] = T::c(0.5) * dd[1];
    Ok(v)
}

impl Cdf for ChiSquare {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
