//! Beta with mean and precision `beta_proportion(mu, kappa)` =
//! `beta(μκ, (1 − μ)κ)`, `0 < μ < 1`, `κ > 0`.
//!
//! # Formula
//! With `a = μκ`, `b = (1 − μ)κ`:
//! `log p(x) = −log B(a, b) + (a − 1) log x + (b − 1) log(1 − x)`, `0 ≤ x ≤ 1`.
//! `∂/∂a = ψ(κ) − ψ(a) + log x`, `∂/∂b = ψ(κ) − ψ(b) + log(1 − x)`;
//! `∂/∂μ = κ(∂a − ∂b)`, `∂/∂κ = μ ∂a + (1 − μ) ∂b`,
//! `∂/∂x = (a − 1)/x − (b − 1)/(1 − x)`.
//! CDFs: those of [`Beta`] by the chain rule.

use super::gamma::xlogy_m1;
use super::{check_positive, Beta, Cdf, Continuous, DistError, Support};
use crate::special::{digamma, lbeta};
use exmc_core::Real;

pub struct BetaProportion;

fn check_mu<T: Real>(mu: T) -> Result<(), DistError> {
    if mu > T::zero() && mu < T::one() {
        Ok(())
    } else {
        Err(DistError { dist: BetaProportion::NAME, arg: "mu", must_be: "in (0, 1)", value: mu.f64() })
    }
}

impl Continuous for BetaProportion {
    const NAME: &'static str = "beta_proportion";
    const PARAMS: &'static [&'static str] = &["mu", "kappa"];
    const SUPPORT: Support = Support::Unit;

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_mu(p[0])?;
        check_positive(Self::NAME, "kappa", p[1])?;
        let (mu, k) = (p[0], p[1]);
        let (a, b) = (mu * k, (T::one() - mu) * k);
        let pk = digamma(k);
        let (da, db) = (pk - digamma(a), pk - digamma(b));
        dp[0] = k * (da - db);
        dp[1] = mu * da + (T::one() - mu) * db;
        Ok(-lbeta(a, b))
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        if !(x >= T::zero() && x <= T::one()) {
            *dx = T::zero();
            dp[0] = T::zero();
            dp[1] = T::zero();
            return T::neg_infinity();
        }
        let (mu, k) = (p[0], p[1]);
        let (a, b) = (mu * k, (T::one() - mu) * k);
        let y = T::one() - x;
        let (t1, lx) = xlogy_m1(a, x);
        let (t2, ly) = xlogy_m1(b, y);
        *dx = (a - T::one()) / x - (b - T::one()) / y;
        dp[0] = k * (lx - ly);
        dp[1] = mu * lx + (T::one() - mu) * ly;
        t1 + t2
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0] > 0.0 && p[0] < 1.0 && p[1] > 0.0 && p[1].is_finite()) {
            return f64::NAN;
        }
        Beta::rng(rng, &[p[0] * p[1], (1.0 - p[0]) * p[1]])
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    BetaProportion::check_params(p)?;
    let (mu, k) = (p[0], p[1]);
    let q = [mu * k, (T::one() - mu) * k];
    let mut g = [T::zero(); 3];
    let v = if upper { Beta::lccdf(x, &q, &mut g) } else { Beta::lcdf(x, &q, &mut g) }
        .map_err(|e| DistError { dist: BetaProportion::NAME, ..e })?;
    d[0] = g[0];
    d[1] = k * (g[1] - g[2]);
    d[2] = mu * g[1] + (T::one() - mu) * g[2];
    Ok(v)
}

impl Cdf for BetaProportion {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
