//! Exponentially modified normal `exp_mod_normal(mu, sigma, lambda)`: the sum
//! of `normal(μ, σ)` and `exponential(λ)`.
//!
//! # Formula
//! `log p(x) = log λ + λ(μ − x) + λ²σ²/2 + log Φ(w)`,
//! `w = (x − μ)/σ − λσ` (Stan's `λ/2 · e^{…} · erfc(…)` with
//! `erfc(u) = 2Φ(−√2 u)`). With `r = φ(w)/Φ(w)`:
//! `∂/∂x = −λ + r/σ`, `∂/∂μ = λ − r/σ`, `∂/∂σ = λ²σ − r(2λ + w/σ)`,
//! `∂/∂λ = 1/λ + μ − x + λσ² − rσ`.
//! CDF, with `t = x − μ`, `z = t/σ`, `G = exp(−λt + λ²σ²/2) Φ(z − λσ)`:
//! `F = Φ(z) − G`, `1 − F = Q(z) + G`; `∂F/∂x = p(x) = −∂F/∂μ`,
//! `∂F/∂σ = λφ(z) − λ²σ G`, `∂F/∂λ = (t − λσ²) G + σφ(z)`
//! (using `e^{−λt+λ²σ²/2} φ(z − λσ) = φ(z)`).

use super::{check_finite, check_not_nan, check_positive, Cdf, Continuous, DistError, Support};
use crate::special::{log_phi_ratio, log_phi_ratio_f64, phi};
use exmc_core::Real;

pub struct ExpModNormal;

impl Continuous for ExpModNormal {
    const NAME: &'static str = "exp_mod_normal";
    const PARAMS: &'static [&'static str] = &["mu", "sigma", "lambda"];
    const SUPPORT: Support = Support::Real;
    const HOISTED: u32 = (1 << 1) | (1 << 2);

    #[inline(always)]
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_finite(Self::NAME, "mu", p[0])?;
        check_positive(Self::NAME, "sigma", p[1])?;
        check_positive(Self::NAME, "lambda", p[2])?;
        let (s, l) = (p[1], p[2]);
        dp[0] = T::zero();
        dp[1] = l * l * s;
        dp[2] = l.recip() + l * s * s;
        Ok(l.ln() + T::c(0.5) * l * l * s * s)
    }

    #[inline(always)]
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T {
        let (mu, s, l) = (p[0], p[1], p[2]);
        if x.is_infinite() {
            *dx = T::zero();
            dp[..3].iter_mut().for_each(|v| *v = T::zero());
            return T::neg_infinity();
        }
        let w = (x - mu) / s - l * s;
        let (lphi, r) = log_phi_ratio(w);
        *dx = -l + r / s;
        dp[0] = l - r / s;
        dp[1] = -r * (T::c(2.0) * l + w / s);
        dp[2] = mu - x - r * s;
        l * (mu - x) + lphi
    }

    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64 {
        if !(p[0].is_finite() && p[1] > 0.0 && p[1].is_finite() && p[2] > 0.0 && p[2].is_finite()) {
            return f64::NAN;
        }
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        p[0] + p[1] * z - super::open01(rng).ln() / p[2]
    }
}

fn cdf_impl<T: Real>(x: T, p: &[T], d: &mut [T], upper: bool) -> Result<T, DistError> {
    ExpModNormal::check_params(p)?;
    check_not_nan(ExpModNormal::NAME, "x", x)?;
    d[..4].iter_mut().for_each(|v| *v = T::zero());
    let (xf, mu, s, l) = (x.f64(), p[0].f64(), p[1].f64(), p[2].f64());
    let t = xf - mu;
    if t.is_infinite() {
        let below = t < 0.0;
        return Ok(if below == upper { T::zero() } else { T::neg_infinity() });
    }
    let z = t / s;
    let lg = -l * t + 0.5 * l * l * s * s + log_phi_ratio_f64(z - l * s).0;
    let g = lg.exp();
    let f = if upper { phi(-z) + g } else { phi(z) - g };
    if !(f > 0.0) || !f.is_finite() {
        return Ok(if f.is_finite() { T::neg_infinity() } else { T::c(f64::NAN) });
    }
    let dens_z = 0.398_942_280_401_432_7 * (-0.5 * z * z).exp();
    // p(x) = λ (φ-free form): λ e^{λ(μ−x)+λ²σ²/2} Φ(w) = λ G.
    let pdf = l * g;
    let dfs = l * dens_z - l * l * s * g;
    let dfl = (t - l * s * s) * g + s * dens_z;
    let k = if upper { -1.0 / f } else { 1.0 / f };
    d[0] = T::c(k * pdf);
    d[1] = T::c(-k * pdf);
    d[2] = T::c(k * dfs);
    d[3] = T::c(k * dfl);
    Ok(T::c(f.ln()))
}

impl Cdf for ExpModNormal {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, false)
    }
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        cdf_impl(x, p, d, true)
    }
}
