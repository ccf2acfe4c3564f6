//! Constraining transforms: an unconstrained `y ∈ ℝⁿ` maps to a constrained
//! `x`, and `log |det J|` of the map is added to the log density, exactly as
//! in Stan (reference manual, chapter "Constraint transforms"). One file per
//! transform; each file's doc comment gives the formula.
//!
//! # API
//!
//! Every kernel has a **forward** (`y → x`, returns `logJ`), a **backward**
//! (reverse mode) and an **inverse** (`x → y`, for user initial values and
//! tests; it returns a [`TransformError`] when `x` violates the constraint).
//!
//! * The backward computes the gradient of `Σ adj_x·x + logJ`: the adjoint of
//!   `logJ` is taken to be 1 (a caller that does not want the Jacobian — e.g.
//!   an optimiser — subtracts nothing: it simply should not call these kernels
//!   with Jacobian; the term is always included).
//! * **Scalar transforms with bounds** ([`lower`], [`upper`], [`interval`],
//!   [`offset_multiplier`]) take and return scalars; bounds may be parameters,
//!   so the backward also returns their adjoints:
//!   - `lower::forward(y, lb) -> (x, logj)`, `lower::backward(y, lb, adj_x) -> (adj_y, adj_lb)`
//!   - `upper::forward(y, ub)`, `upper::backward(y, ub, adj_x) -> (adj_y, adj_ub)`
//!   - `interval::forward(y, lb, ub)`, `interval::backward(y, lb, ub, adj_x) -> (adj_y, adj_lb, adj_ub)`
//!   - `offset_multiplier::forward(y, mu, sigma)`,
//!     `offset_multiplier::backward(y, mu, sigma, adj_x) -> (adj_y, adj_mu, adj_sigma)`
//!   - `*::inverse(x, bounds…) -> Result<y, TransformError>`
//!
//!   The returned adjoints are *contributions*: the caller adds them to its
//!   adjoint slots. Vectorised use is a loop (bounds broadcast by the caller).
//! * **Vector / matrix transforms** ([`simplex`], [`ordered`],
//!   [`positive_ordered`], [`unit_vector`], [`sum_to_zero`], [`cholesky_corr`], [`corr_matrix`],
//!   [`cholesky_cov`], [`cov_matrix`]) work on slices; matrices are row-major.
//!   `forward(…, y, x, [scratch]) -> Result<logj, _>` overwrites `x`;
//!   `backward(…, y, [x], adj_x, adj_y, [scratch])` **adds** into `adj_y`
//!   (the adjoint of `x` plus `∂logJ/∂y`); `inverse(…, x, y)` overwrites `y`.
//!   The only `Err` of forward/backward is a slice-length mismatch
//!   ([`TransformError::Shape`], a compiler bug, never a property of the point).
//!   Kernels do not allocate; those that need scratch say how much with
//!   `scratch_len` (only `corr_matrix` and `cov_matrix`). Inverses may allocate.
//!   [`VectorTransform`] bundles kind and shape behind one uniform interface
//!   (`free_len`, `constrained_len`, `scratch_len`, `forward`, `backward`,
//!   `inverse`), which is what the compiler is expected to hold.
//! * Free-value order follows Stan, so unconstrained vectors are
//!   interchangeable with Stan's (row-major CPCs for `cholesky_factor_corr`,
//!   column-major for `corr_matrix`, row-major lower triangle for the
//!   covariance types).
//!
//! # Extreme values: no clamping
//!
//! Kernels never clamp, never panic, never loop forever and never index out
//! of bounds, whatever the numbers (±1e300, ±inf, NaN, in `f32` or `f64`).
//! The forward returns whatever IEEE arithmetic gives — possibly an infinite
//! or NaN `x` or `logJ` — and the compiler turns a non-finite log density or
//! gradient into a recoverable error (a divergence). A NaN or infinite input
//! always yields a non-finite `x` or `logJ` (never a finite-but-wrong value).
//! Where a stable formula exists it is used, so valid-but-large inputs stay
//! finite as long as the true value is representable: `inv_logit`, `1 - inv_logit`
//! and their logs from one `exp(-|y|)` and one `log1p` (accurate in both tails), `log(1 - tanh²y)` as `2·log sech y`, the interval
//! transform reaching its bound exactly with a finite `logJ`, the simplex
//! stick carried multiplicatively, scaled norms for the unit vector. The
//! helpers are private ([`num`] module) until `special/` offers them.
//!
//! Infinite *bounds* given to `lower`/`upper`/`interval` select the unbounded
//! case as Stan does (`lb = -inf` ⇒ no lower bound), including in the
//! backward.

// `!(x > lb)` style checks are deliberate: they also reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use exmc_core::Real;
use std::fmt;

mod cpc;
mod linalg;
mod num;

pub mod cholesky_corr;
pub mod cholesky_cov;
pub mod corr_matrix;
pub mod cov_matrix;
pub mod interval;
pub mod lower;
pub mod offset_multiplier;
pub mod ordered;
pub mod positive_ordered;
pub mod simplex;
pub mod sum_to_zero;
pub mod unit_vector;
pub mod upper;

pub(crate) use linalg::cholesky_in_place;

/// Why a transform could not be applied. `Copy`: the error path allocates
/// nothing until rendered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TransformError {
    /// A slice has the wrong length (a bug in the caller, not a bad point).
    Shape { transform: &'static str, what: &'static str, expected: usize, got: usize },
    /// The constrained value given to an inverse violates the constraint.
    Invalid {
        transform: &'static str,
        /// What the value must be, e.g. "positive on the diagonal".
        must_be: &'static str,
        /// Flat (row-major) index of the offending element, if one is to blame.
        index: Option<usize>,
        value: f64,
    },
}

impl TransformError {
    /// The same error attributed to another transform (for transforms built on others).
    pub fn renamed(self, name: &'static str) -> Self {
        match self {
            TransformError::Shape { what, expected, got, .. } => {
                TransformError::Shape { transform: name, what, expected, got }
            }
            TransformError::Invalid { must_be, index, value, .. } => {
                TransformError::Invalid { transform: name, must_be, index, value }
            }
        }
    }
}

impl fmt::Display for TransformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TransformError::Shape { transform, what, expected, got } => {
                write!(f, "{transform}: {what} must be {expected}, got {got}")
            }
            TransformError::Invalid { transform, must_be, index: Some(i), value } => {
                write!(f, "{transform}: element {i} must be {must_be}, got {value}")
            }
            TransformError::Invalid { transform, must_be, index: None, value } => {
                write!(f, "{transform}: value must be {must_be}, got {value}")
            }
        }
    }
}

impl std::error::Error for TransformError {}

#[inline]
pub(crate) fn invalid<T: Real>(
    transform: &'static str,
    must_be: &'static str,
    index: Option<usize>,
    value: T,
) -> TransformError {
    TransformError::Invalid { transform, must_be, index, value: value.f64() }
}

#[inline]
pub(crate) fn check_len(
    transform: &'static str,
    what: &'static str,
    expected: usize,
    got: usize,
) -> Result<(), TransformError> {
    if expected == got {
        Ok(())
    } else {
        Err(TransformError::Shape { transform, what, expected, got })
    }
}

/// Tolerance of the inverses' equality checks (sums to 1, unit norms,
/// symmetry): `max(1e-8, 64·n·eps)` — Stan's 1e-8 in `f64`, loose enough for
/// values computed in `f32`.
pub fn sum_tolerance<T: Real>(n: usize) -> T {
    T::c(1e-8).max(T::c(64.0 * n.max(1) as f64) * T::EPS)
}

/// A vector or matrix transform with its constrained shape: the uniform
/// interface the compiler holds. Matrices are row-major.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorTransform {
    /// `simplex[k]`: `k - 1` free values.
    Simplex { k: usize },
    /// `sum_to_zero_vector[k]`: `k - 1` free values.
    SumToZero { k: usize },
    /// `ordered[k]`.
    Ordered { k: usize },
    /// `positive_ordered[k]`.
    PositiveOrdered { k: usize },
    /// `unit_vector[k]` (adds `-½‖y‖²`, not a bijection).
    UnitVector { k: usize },
    /// `cholesky_factor_corr[k]`: `k × k`, `k(k-1)/2` free values.
    CholeskyCorr { k: usize },
    /// `corr_matrix[k]`: `k × k`, `k(k-1)/2` free values.
    CorrMatrix { k: usize },
    /// `cholesky_factor_cov[m, n]` (`m ≥ n`): `m × n`, `n(n+1)/2 + (m-n)n` free values.
    CholeskyCov { m: usize, n: usize },
    /// `cov_matrix[k]`: `k × k`, `k(k+1)/2` free values.
    CovMatrix { k: usize },
}

impl VectorTransform {
    /// Stan's name of the constrained type.
    pub fn name(&self) -> &'static str {
        match self {
            VectorTransform::Simplex { .. } => "simplex",
            VectorTransform::SumToZero { .. } => "sum_to_zero_vector",
            VectorTransform::Ordered { .. } => "ordered",
            VectorTransform::PositiveOrdered { .. } => "positive_ordered",
            VectorTransform::UnitVector { .. } => "unit_vector",
            VectorTransform::CholeskyCorr { .. } => "cholesky_factor_corr",
            VectorTransform::CorrMatrix { .. } => "corr_matrix",
            VectorTransform::CholeskyCov { .. } => "cholesky_factor_cov",
            VectorTransform::CovMatrix { .. } => "cov_matrix",
        }
    }

    /// Length of the unconstrained vector `y`.
    pub fn free_len(&self) -> usize {
        match *self {
            VectorTransform::Simplex { k } => simplex::free_len(k),
            VectorTransform::SumToZero { k } => sum_to_zero::free_len(k),
            VectorTransform::Ordered { k }
            | VectorTransform::PositiveOrdered { k }
            | VectorTransform::UnitVector { k } => k,
            VectorTransform::CholeskyCorr { k } | VectorTransform::CorrMatrix { k } => cholesky_corr::free_len(k),
            VectorTransform::CholeskyCov { m, n } => cholesky_cov::free_len(m, n),
            VectorTransform::CovMatrix { k } => cov_matrix::free_len(k),
        }
    }

    /// Length of the constrained value `x` (row-major for matrices).
    pub fn constrained_len(&self) -> usize {
        match *self {
            VectorTransform::Simplex { k }
            | VectorTransform::SumToZero { k }
            | VectorTransform::Ordered { k }
            | VectorTransform::PositiveOrdered { k }
            | VectorTransform::UnitVector { k } => k,
            VectorTransform::CholeskyCorr { k }
            | VectorTransform::CorrMatrix { k }
            | VectorTransform::CovMatrix { k } => k * k,
            VectorTransform::CholeskyCov { m, n } => m * n,
        }
    }

    /// Length of the scratch slice `forward` / `backward` need (often 0).
    pub fn scratch_len(&self) -> usize {
        match *self {
            VectorTransform::CorrMatrix { k } => corr_matrix::scratch_len(k),
            VectorTransform::CovMatrix { k } => cov_matrix::scratch_len(k),
            _ => 0,
        }
    }

    /// Checks the shape itself (e.g. `simplex[0]`, `cholesky_factor_cov` with `m < n`).
    pub fn validate(&self) -> Result<(), TransformError> {
        match *self {
            VectorTransform::Simplex { k: 0 } | VectorTransform::UnitVector { k: 0 } => {
                Err(TransformError::Shape { transform: self.name(), what: "length (at least)", expected: 1, got: 0 })
            }
            VectorTransform::CholeskyCov { m, n } if m < n => Err(TransformError::Shape {
                transform: self.name(),
                what: "rows M (at least the columns N)",
                expected: n,
                got: m,
            }),
            _ => Ok(()),
        }
    }

    /// Writes `x` (length [`constrained_len`](Self::constrained_len)) from `y`
    /// (length [`free_len`](Self::free_len)); returns `logJ`.
    pub fn forward<T: Real>(&self, y: &[T], x: &mut [T], scratch: &mut [T]) -> Result<T, TransformError> {
        match *self {
            VectorTransform::Simplex { k } => {
                check_len("simplex", "x", k, x.len())?;
                simplex::forward(y, x)
            }
            VectorTransform::SumToZero { k } => {
                check_len("sum_to_zero_vector", "x", k, x.len())?;
                sum_to_zero::forward(y, x)
            }
            VectorTransform::Ordered { k } => {
                check_len("ordered", "y", k, y.len())?;
                ordered::forward(y, x)
            }
            VectorTransform::PositiveOrdered { k } => {
                check_len("positive_ordered", "y", k, y.len())?;
                positive_ordered::forward(y, x)
            }
            VectorTransform::UnitVector { k } => {
                check_len("unit_vector", "y", k, y.len())?;
                unit_vector::forward(y, x)
            }
            VectorTransform::CholeskyCorr { k } => cholesky_corr::forward(k, y, x),
            VectorTransform::CorrMatrix { k } => corr_matrix::forward(k, y, x, scratch),
            VectorTransform::CholeskyCov { m, n } => cholesky_cov::forward(m, n, y, x),
            VectorTransform::CovMatrix { k } => cov_matrix::forward(k, y, x, scratch),
        }
    }

    /// Adds to `adj_y` the gradient of `Σ adj_x·x + logJ`; `x` must be the
    /// output of [`forward`](Self::forward) at `y`.
    pub fn backward<T: Real>(
        &self,
        y: &[T],
        x: &[T],
        adj_x: &[T],
        adj_y: &mut [T],
        scratch: &mut [T],
    ) -> Result<(), TransformError> {
        check_len(self.name(), "x", self.constrained_len(), x.len())?;
        check_len(self.name(), "y", self.free_len(), y.len())?;
        match *self {
            VectorTransform::Simplex { .. } => simplex::backward(y, x, adj_x, adj_y),
            VectorTransform::SumToZero { .. } => {
                sum_to_zero::backward(adj_x, adj_y);
                Ok(())
            }
            VectorTransform::Ordered { .. } => ordered::backward(y, adj_x, adj_y),
            VectorTransform::PositiveOrdered { .. } => positive_ordered::backward(y, adj_x, adj_y),
            VectorTransform::UnitVector { .. } => unit_vector::backward(y, x, adj_x, adj_y),
            VectorTransform::CholeskyCorr { k } => cholesky_corr::backward(k, y, x, adj_x, adj_y),
            VectorTransform::CorrMatrix { k } => corr_matrix::backward(k, y, adj_x, adj_y, scratch),
            VectorTransform::CholeskyCov { m, n } => cholesky_cov::backward(m, n, y, adj_x, adj_y),
            VectorTransform::CovMatrix { k } => cov_matrix::backward(k, y, adj_x, adj_y, scratch),
        }
    }

    /// Writes `y` from a constrained `x`; an error if `x` violates the constraint.
    pub fn inverse<T: Real>(&self, x: &[T], y: &mut [T]) -> Result<(), TransformError> {
        check_len(self.name(), "x", self.constrained_len(), x.len())?;
        match *self {
            VectorTransform::Simplex { .. } => simplex::inverse(x, y),
            VectorTransform::SumToZero { .. } => sum_to_zero::inverse(x, y),
            VectorTransform::Ordered { .. } => ordered::inverse(x, y),
            VectorTransform::PositiveOrdered { .. } => positive_ordered::inverse(x, y),
            VectorTransform::UnitVector { .. } => unit_vector::inverse(x, y),
            VectorTransform::CholeskyCorr { k } => cholesky_corr::inverse(k, x, y),
            VectorTransform::CorrMatrix { k } => corr_matrix::inverse(k, x, y),
            VectorTransform::CholeskyCov { m, n } => cholesky_cov::inverse(m, n, x, y),
            VectorTransform::CovMatrix { k } => cov_matrix::inverse(k, x, y),
        }
    }
}
