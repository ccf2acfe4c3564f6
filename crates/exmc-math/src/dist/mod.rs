//! Distributions, one file each, named and parameterised as in Stan.
//!
//! A univariate continuous distribution implements [`Continuous`]: its log
//! density is split into [`Continuous::param_terms`] (terms that depend on the
//! parameters only — computed once per vectorised call when all parameters are
//! scalars, as Stan Math does) and [`Continuous::variate_terms`] (the rest).
//! Both return analytic partials. A discrete distribution implements
//! [`Discrete`]: its integer arguments are always data, so the terms that
//! depend only on them ([`Discrete::data_terms`]) are computed once, at compile
//! time.
//!
//! Multivariate kernels and helpers are plain functions over slices
//! (matrices row-major `n × n`), writing partials into caller buffers and
//! allocating nothing (a caller-provided `scratch` of `n²` where a
//! factorisation is needed):
//! * [`categorical_lpmf`]`(n, theta, dtheta)`, [`categorical_logit_lpmf`]`(n, beta, dbeta)` — 0-based `n`;
//! * [`dirichlet_lpdf`]`(x, alpha, dx, dalpha)`;
//! * [`multi_normal_lpdf`]`(x, mu, sigma, dx, dmu, dsigma, scratch)`,
//!   [`multi_normal_cholesky_lpdf`]`(x, mu, l, dx, dmu, dl)`;
//! * [`lkj_corr_lpdf`]`(omega, k, eta, domega, deta, scratch)`,
//!   [`lkj_corr_cholesky_lpdf`]`(l, k, eta, dl, deta)`;
//! * [`gaussian_random_walk_lpdf`]`(x, init: Option<(mu0, sigma0)>, sigma, dx, dinit, dsigma)`;
//! * [`log_mix`]`(theta, lp1, lp2, d)`, [`log_mix_vec`]`(theta, lps, dtheta, dlps)`;
//! * truncation [`truncated_lpdf`] / [`truncated_lcdf`] / [`truncated_lccdf`]
//!   `::<D, T>(x, p, lower, upper, d)` with `d = [∂x, ∂p…, ∂lower, ∂upper]`;
//!   censoring [`left_censored_lprob`], [`right_censored_lprob`],
//!   [`log_interval_prob`]`::<D, T>(a, b, p, d)` with `d = [∂a, ∂b, ∂p…]`.
//! Matrix partials treat the `n²` entries as independent (add `(i,j)` and
//! `(j,i)` for a symmetric parameterisation).
//!
//! Kernels never panic: an invalid parameter (a scale ≤ 0, a NaN) is a
//! [`DistError`] naming the distribution and argument; a variate outside the
//! support gives a log density of `-inf`.

use exmc_core::{LogpError, Real};
use std::fmt;

pub mod bernoulli;
pub mod beta;
pub mod beta_binomial;
pub mod beta_proportion;
pub mod binomial;
pub mod categorical;
pub mod cauchy;
pub mod censor;
pub mod chi_square;
pub mod dirichlet;
pub mod double_exponential;
pub mod exp_mod_normal;
pub mod exponential;
pub mod frechet;
pub mod gamma;
pub mod gumbel;
pub mod half_cauchy;
pub mod half_normal;
pub mod half_student_t;
pub mod inv_chi_square;
pub mod inv_gamma;
pub mod lkj;
pub mod log_mix;
pub mod logistic;
pub mod lognormal;
pub mod multi_normal;
pub mod multi_rng;
pub mod neg_binomial;
pub mod neg_binomial_2;
pub mod neg_binomial_2_log;
pub mod normal;
pub mod pareto;
pub mod pareto_type_2;
pub mod poisson;
pub mod random_walk;
pub mod rayleigh;
pub mod skew_double_exponential;
pub mod skew_normal;
pub mod student_t;
pub mod truncate;
pub mod uniform;
pub mod von_mises;
pub mod weibull;

pub use bernoulli::{Bernoulli, BernoulliLogit};
pub use beta::Beta;
pub use beta_binomial::BetaBinomial;
pub use binomial::{Binomial, BinomialLogit};
pub use cauchy::Cauchy;
pub use chi_square::ChiSquare;
pub use double_exponential::DoubleExponential;
pub use exponential::Exponential;
pub use gamma::Gamma;
pub use gumbel::Gumbel;
pub use half_cauchy::HalfCauchy;
pub use half_normal::HalfNormal;
pub use half_student_t::HalfStudentT;
pub use inv_gamma::InvGamma;
pub use logistic::Logistic;
pub use lognormal::Lognormal;
pub use neg_binomial_2::NegBinomial2;
pub use normal::Normal;
pub use poisson::{Poisson, PoissonLog};
pub use student_t::{StudentT, StudentTLogScale};
pub use uniform::Uniform;
pub use von_mises::VonMises;
pub use weibull::Weibull;
pub use beta_proportion::BetaProportion;
pub use exp_mod_normal::ExpModNormal;
pub use frechet::Frechet;
pub use inv_chi_square::{InvChiSquare, ScaledInvChiSquare};
pub use neg_binomial::NegBinomial;
pub use neg_binomial_2_log::NegBinomial2Log;
pub use pareto::Pareto;
pub use pareto_type_2::ParetoType2;
pub use rayleigh::Rayleigh;
pub use skew_double_exponential::SkewDoubleExponential;
pub use skew_normal::SkewNormal;

pub use categorical::{categorical_logit_lpmf, categorical_lpmf};
pub use censor::{left_censored_lprob, log_interval_prob, right_censored_lprob};
pub use dirichlet::dirichlet_lpdf;
pub use lkj::{lkj_corr_cholesky_lpdf, lkj_corr_lpdf, lkj_log_normaliser};
pub use log_mix::{log_mix, log_mix_vec};
pub use multi_normal::{multi_normal_cholesky_lpdf, multi_normal_lpdf};
pub use random_walk::gaussian_random_walk_lpdf;
pub use truncate::{truncated_lccdf, truncated_lcdf, truncated_lpdf};

/// Maximum number of real parameters of a univariate distribution.
pub const MAX_PARAMS: usize = 4;

/// An invalid argument met by a kernel. `Copy`, so the error path allocates
/// nothing until it is rendered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DistError {
    pub dist: &'static str,
    pub arg: &'static str,
    /// What the argument must be, e.g. "positive", "finite", "in [0, 1]".
    pub must_be: &'static str,
    pub value: f64,
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} must be {}, got {}",
            self.dist, self.arg, self.must_be, self.value
        )
    }
}

impl std::error::Error for DistError {}

impl From<DistError> for LogpError {
    fn from(e: DistError) -> Self {
        LogpError::recoverable(e.to_string())
    }
}

/// Checks helpers used by the kernels.
#[inline(always)]
pub fn check_positive<T: Real>(
    dist: &'static str,
    arg: &'static str,
    v: T,
) -> Result<(), DistError> {
    if v > T::zero() && v.is_finite() {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg,
            must_be: "positive and finite",
            value: v.f64(),
        })
    }
}

#[inline(always)]
pub fn check_finite<T: Real>(dist: &'static str, arg: &'static str, v: T) -> Result<(), DistError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg,
            must_be: "finite",
            value: v.f64(),
        })
    }
}

#[inline(always)]
pub fn check_nonneg<T: Real>(dist: &'static str, arg: &'static str, v: T) -> Result<(), DistError> {
    if v >= T::zero() && v.is_finite() {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg,
            must_be: "non-negative and finite",
            value: v.f64(),
        })
    }
}

#[inline(always)]
pub fn check_prob<T: Real>(dist: &'static str, arg: &'static str, v: T) -> Result<(), DistError> {
    if v >= T::zero() && v <= T::one() {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg,
            must_be: "in [0, 1]",
            value: v.f64(),
        })
    }
}

#[inline(always)]
pub fn check_not_nan<T: Real>(
    dist: &'static str,
    arg: &'static str,
    v: T,
) -> Result<(), DistError> {
    if v.is_nan() {
        Err(DistError {
            dist,
            arg,
            must_be: "not NaN",
            value: v.f64(),
        })
    } else {
        Ok(())
    }
}

/// Checks a simplex: entries in [0, 1] and a sum within 1e-8 of 1.
pub fn check_simplex<T: Real>(
    dist: &'static str,
    arg: &'static str,
    v: &[T],
) -> Result<(), DistError> {
    let mut s = 0.0;
    for &x in v {
        if !(x >= T::zero() && x <= T::one()) {
            return Err(DistError {
                dist,
                arg,
                must_be: "a simplex (entries in [0, 1])",
                value: x.f64(),
            });
        }
        s += x.f64();
    }
    let tol = if T::EPS.f64() > 1e-10 { 1e-5 } else { 1e-8 };
    if v.is_empty() || (s - 1.0).abs() > tol {
        return Err(DistError {
            dist,
            arg,
            must_be: "a simplex (summing to 1)",
            value: s,
        });
    }
    Ok(())
}

/// Partials of a location-scale log CDF (or CCDF) `g(z)`, `z = (x − μ)/σ`,
/// from `r = dg/dz`: `∂x = r/σ`, `∂μ = −r/σ`, `∂σ = −r z/σ`.
#[inline(always)]
pub(crate) fn loc_scale_partials<T: Real>(r: T, z: T, sigma: T, d: &mut [T]) {
    let rs = r / sigma;
    d[0] = rs;
    d[1] = -rs;
    d[2] = -rs * z;
}

/// Zeroes partials when a log value is `-inf` (no gradient information) or
/// NaN-free infinities would otherwise leak.
#[inline(always)]
pub(crate) fn clean_partials<T: Real>(v: T, d: &mut [T]) {
    if v == T::neg_infinity() {
        for x in d.iter_mut() {
            *x = T::zero();
        }
    }
}

/// A uniform draw in the open interval (0, 1).
#[inline]
pub(crate) fn open01<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.sample(rand::distr::Open01)
}

/// Where a distribution's variate lives; decides the default transform.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Support {
    /// The whole real line.
    Real,
    /// `x > 0` (or `x ≥ 0`).
    Positive,
    /// `0 < x < 1`.
    Unit,
    /// `lower ≤ x ≤ upper` where the bounds are parameters `lower_param` and
    /// `upper_param` (indices into the parameter list), e.g. uniform(a, b).
    ParamInterval {
        lower_param: usize,
        upper_param: usize,
    },
    /// `x ≥ lower` where the bound is parameter `lower_param` (pareto's
    /// `y_min`, pareto_type_2's `mu`).
    ParamLower { lower_param: usize },
    /// `-π ≤ x ≤ π` shifted by a location parameter (von Mises): we use
    /// an interval around the location.
    Circular,
}

/// A univariate continuous distribution.
///
/// `log p(x | p) = param_terms(p) + variate_terms(x, p)`.
pub trait Continuous: 'static {
    /// Stan's name, e.g. `"normal"`.
    const NAME: &'static str;
    /// Parameter names in Stan's order, e.g. `["mu", "sigma"]`.
    const PARAMS: &'static [&'static str];
    /// Support of the variate.
    const SUPPORT: Support;
    /// Bit mask of the parameters that [`Continuous::param_terms`] depends on
    /// (bit `k` = parameter `k`). When every parameter in the mask is a
    /// scalar in a vectorised call, `param_terms` is computed once and scaled
    /// by the length, even if other parameters are vectors. E.g. student_t
    /// keeps its `lgamma(nu)` terms in `param_terms` (mask = nu) and its
    /// `-log(sigma)` in `variate_terms`, so `student_t(nu, 0, exp(s))` with a
    /// scalar `nu` and a vector `s` pays for `lgamma` once. Default: all.
    const HOISTED: u32 = u32::MAX;

    /// Terms depending on the parameters only. Writes `∂/∂p_k` into `dp[k]`
    /// (every `k < PARAMS.len()`). Checks the parameters.
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError>;

    /// Terms depending on the variate. Returns the value, writes `∂/∂x` into
    /// `*dx` and `∂/∂p_k` into `dp[k]`. `p` has been checked by `param_terms`.
    /// Outside the support: returns `-inf` and zero partials.
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T;

    /// A draw, for initialisation and predictive sampling. Invalid
    /// parameters give NaN (never a panic).
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64;

    /// Checks all parameters (also those outside [`Continuous::HOISTED`]),
    /// for a vectorised call that evaluates `param_terms` once but has vector
    /// parameters outside the mask: call this per element. Default: runs
    /// `param_terms` and discards it.
    fn check_params<T: Real>(p: &[T]) -> Result<(), DistError> {
        let mut dp = [T::zero(); MAX_PARAMS];
        Self::param_terms(p, &mut dp[..Self::PARAMS.len()]).map(|_| ())
    }

    /// The whole log density at one point with partials (`d[0] = ∂/∂x`,
    /// `d[1 + k] = ∂/∂p_k`).
    /// A NaN `x` is a [`DistError`] (argument `"x"`).
    fn lpdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        let n = Self::PARAMS.len();
        check_not_nan(Self::NAME, "x", x)?;
        let mut dp1 = [T::zero(); MAX_PARAMS];
        let mut dp2 = [T::zero(); MAX_PARAMS];
        let a = Self::param_terms(p, &mut dp1[..n])?;
        let mut dx = T::zero();
        let b = Self::variate_terms(x, p, &mut dx, &mut dp2[..n]);
        d[0] = dx;
        for k in 0..n {
            d[1 + k] = dp1[k] + dp2[k];
        }
        if b == T::neg_infinity() {
            for v in d.iter_mut().take(n + 1) {
                *v = T::zero();
            }
        }
        Ok(a + b)
    }
}

/// Log CDF and log complementary CDF with partials, for truncation and
/// censoring. Same partial layout as [`Continuous::lpdf`]. Both are accurate
/// in both tails (the tail that is small is computed directly, the other as
/// `log1m_exp` of it). `x` below / above the support gives `-inf` / `0` (and
/// zero partials); a NaN `x` is a [`DistError`].
pub trait Cdf: Continuous {
    fn lcdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError>;
    fn lccdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError>;
}

/// A univariate discrete distribution. Integer arguments (the variate, and
/// e.g. the number of trials) are always data.
pub trait Discrete: 'static {
    const NAME: &'static str;
    /// Integer argument names, the variate first, e.g. `["n", "N"]`.
    const INT_ARGS: &'static [&'static str];
    /// Real parameter names, e.g. `["theta"]`.
    const PARAMS: &'static [&'static str];

    /// Checks the integer arguments (data) once, at build time.
    fn check_ints(n: &[i64]) -> Result<(), DistError>;
    /// Terms depending only on the integer arguments, computed once (f64).
    fn data_terms(n: &[i64]) -> f64;
    /// The rest of the log mass, with `∂/∂p_k` in `dp[k]`.
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError>;
    /// A draw of the variate given the other integer arguments `n[1..]`.
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, n_rest: &[i64], p: &[f64]) -> i64;

    /// Full log mass (`data_terms + lpmf_rest`).
    fn lpmf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        Ok(T::c(Self::data_terms(n)) + Self::lpmf_rest(n, p, dp)?)
    }
}

/// Log CDF `log P(N ≤ n)` and log CCDF `log P(N > n)` of a discrete
/// distribution, with partials `∂/∂p_k` in `dp[k]` (integer arguments as in
/// [`Discrete`]; the variate `n[0]` may be any integer).
pub trait DiscreteCdf: Discrete {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError>;
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError>;
}
