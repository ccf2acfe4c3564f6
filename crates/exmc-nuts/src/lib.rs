//! exmc-nuts: the No-U-Turn sampler for any [`exmc_core::LogDensity<f64>`]
//! (f32 models arrive wrapped in [`exmc_core::Widen`]).
//!
//! Layers, bottom up:
//! * [`metric`] — the Euclidean metric `M⁻¹` (diagonal / dense);
//! * [`hamiltonian`] — phase-space points and the leapfrog integrator;
//! * [`tree`] — subtree doubling, multinomial sampling, U-turn checks;
//! * [`kernel`] — one NUTS transition as a pure step;
//! * [`adapt`] — warmup schedule, dual averaging, mass-matrix estimation;
//! * [`init`] — initial points;
//! * [`chain`] — one chain: warmup then sampling;
//! * [`driver`] — several chains on threads, streaming, cancellation, faults;
//! * [`stats`], [`sink`], [`progress`] — what comes out, and when.
//!
//! ```no_run
//! use exmc_nuts::{sample, RunOptions, Settings};
//! # struct MyModel;
//! # impl exmc_core::LogDensity<f64> for MyModel {
//! #   fn dim(&self) -> usize { 1 }
//! #   fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, exmc_core::LogpError> {
//! #     g[0] = -x[0]; Ok(-0.5 * x[0] * x[0]) }
//! # }
//! let out = sample(&Settings::default(), |_chain| MyModel, RunOptions::default()).unwrap();
//! assert!(out.all_completed());
//! ```

// `!(a > b)` is deliberate throughout: it is true for NaN, which must count
// as failure. Index loops over several parallel slices read better as such.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

pub mod adapt;
pub mod chain;
pub mod driver;
pub mod hamiltonian;
pub mod init;
pub mod kernel;
pub mod metric;
pub mod progress;
pub mod settings;
pub mod sink;
pub mod stats;
pub mod tree;

pub use driver::{sample, worker_count, RunOptions, SampleOutput};
pub use kernel::{Nuts, State, StepParams, TransitionInfo};
pub use metric::{InvMetric, Metric};
pub use progress::{ChainPhase, ChainProgressSnapshot, Progress};
pub use settings::{Init, MetricKind, Settings, SettingsError};
pub use sink::{ChannelSink, CollectSink, Draw, DrawSink, OwnedDraw};
pub use stats::{ChainResult, ChainStatus, DrawStats};
