//! exmc-model: what the user says, and what it compiles to.
//!
//! * [`Model`] — the builder: parameters with priors and constraints,
//!   observed data, deterministics, extra log-density terms.
//! * [`Expr`] — expressions over parameters and data (operator overloading,
//!   elementwise functions, reductions, indexing, matrix-vector products).
//! * [`dist`] — distribution constructors with Stan's names (`normal(mu, sigma)`).
//! * [`Model::compile`] → [`Compiled`] → [`CompiledDensity<T>`], an
//!   `exmc_core::LogDensity` in `f32` or `f64`, and the map from
//!   unconstrained draws to named constrained values.

pub mod compile;
mod custom;
mod custom_fn;
pub mod dist;
mod error;
pub mod expr;
mod model;
mod shape;

pub use compile::{apply_binary, apply_unary, CompileOptions, Compiled, CompiledDensity, OutputVar};
pub use custom::{CustomDensity, CustomRef};
pub use custom_fn::{CustomFnRef, CustomFunction};
pub use error::{edit_distance, suggest, ModelError};
pub use expr::{cholesky, concat, custom_density, custom_function, dot, log_density, log_mix, log_mix_vec, matvec, select, stack, BinaryFn, Expr, UnaryFn};
pub use model::{Constraint, Data, Model};
pub use shape::Shape;
