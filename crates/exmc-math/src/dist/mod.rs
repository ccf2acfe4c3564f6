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
//! Kernels never panic: an invalid parameter (a scale ≤ 0, a NaN) is a
//! [`DistError`] naming the distribution and argument; a variate outside the
//! support gives a log density of `-inf`.

use exmc_core::{LogpError, Real};
use std::fmt;

pub mod normal;

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
        write!(f, "{}: {} must be {}, got {}", self.dist, self.arg, self.must_be, self.value)
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
pub fn check_positive<T: Real>(dist: &'static str, arg: &'static str, v: T) -> Result<(), DistError> {
    if v > T::zero() && v.is_finite() {
        Ok(())
    } else {
        Err(DistError { dist, arg, must_be: "positive and finite", value: v.f64() })
    }
}

#[inline(always)]
pub fn check_finite<T: Real>(dist: &'static str, arg: &'static str, v: T) -> Result<(), DistError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(DistError { dist, arg, must_be: "finite", value: v.f64() })
    }
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
    ParamInterval { lower_param: usize, upper_param: usize },
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

    /// Terms depending on the parameters only. Writes `∂/∂p_k` into `dp[k]`
    /// (every `k < PARAMS.len()`). Checks the parameters.
    fn param_terms<T: Real>(p: &[T], dp: &mut [T]) -> Result<T, DistError>;

    /// Terms depending on the variate. Returns the value, writes `∂/∂x` into
    /// `*dx` and `∂/∂p_k` into `dp[k]`. `p` has been checked by `param_terms`.
    /// Outside the support: returns `-inf` and zero partials.
    fn variate_terms<T: Real>(x: T, p: &[T], dx: &mut T, dp: &mut [T]) -> T;

    /// A draw, for initialisation and predictive sampling.
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, p: &[f64]) -> f64;

    /// The whole log density at one point with partials (`d[0] = ∂/∂x`,
    /// `d[1 + k] = ∂/∂p_k`).
    fn lpdf<T: Real>(x: T, p: &[T], d: &mut [T]) -> Result<T, DistError> {
        let n = Self::PARAMS.len();
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
/// censoring. Same partial layout as [`Continuous::lpdf`].
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
