//! exmc: Bayesian inference in Rust.
//!
//! Layers (one crate each, re-exported here):
//! * [`core`] — the `Real` precision trait and the `LogDensity` contract;
//! * [`math`] — special functions, distributions, transforms;
//! * [`model`] — the builder API and the compiler to a log density;
//! * [`nuts`] — the NUTS sampler with Stan-style warmup, parallel chains;
//! * [`report`] — diagnostics, summaries, CmdStan CSV.
//!
//! [`bench_models`] holds the seven benchmark posteriors written with the
//! builder API.

pub use exmc_core as core;
pub use exmc_math as math;
pub use exmc_model as model;
pub use exmc_nuts as nuts;
pub use exmc_report as report;

pub mod bench;
pub mod bench_models;
mod cpu_time;
pub mod run;
pub mod validate;

pub use exmc_core::{LogDensity, LogpError, Real, Widen};
pub use exmc_model::{dist, CompileOptions, Compiled, CompiledDensity, Constraint, Data, Expr, Model, ModelError, Shape};
