//! exmc-nuts: the No-U-Turn sampler for any [`exmc_core::LogDensity<f64>`].
//!
//! Layers, bottom up:
//! * [`metric`] — the Euclidean metric `M⁻¹` (diagonal / dense);
//! * [`hamiltonian`] — phase-space points and the leapfrog integrator;
//! * [`tree`] — subtree doubling, multinomial sampling, U-turn checks;
//! * [`kernel`] — one NUTS transition as a pure step;
//! * [`adapt`] — warmup schedule, dual averaging, mass-matrix estimation;
//! * [`init`] — initial points;
//! * [`chain`] — one chain: warmup then sampling;
//! * [`driver`] — several chains on threads, streaming, cancellation, faults.

pub mod hamiltonian;
pub mod kernel;
pub mod metric;
pub mod settings;
pub mod tree;

pub use kernel::{Nuts, State, StepParams, TransitionInfo};
pub use metric::{InvMetric, Metric};
pub use settings::{Init, MetricKind, Settings, SettingsError};
