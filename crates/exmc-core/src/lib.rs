//! exmc-core: the two contracts every other exmc layer meets.
//!
//! * [`Real`] — the floating-point type a model is compiled for (`f32` or `f64`).
//! * [`LogDensity`] — a differentiable log density on an unconstrained vector,
//!   the only thing the sampler needs (in the spirit of nuts-rs's `CpuLogpFunc`).

mod logdensity;
mod real;

pub use logdensity::{LogDensity, LogpError, LogpErrorKind, Widen};
pub use real::Real;
