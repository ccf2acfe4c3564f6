//! exmc-math: the numerical kernels — special functions, distributions
//! (log densities with analytic partials, CDFs, generators) and constraining
//! transforms (with log-Jacobians and their gradients).
//!
//! Nothing here knows about models or graphs: every kernel is a plain function
//! over [`Real`](exmc_core::Real) scalars or slices, allocation-free, so the
//! compiler (`exmc-model`) can call it from its forward and reverse sweeps.

pub mod dist;
pub mod ode;
pub mod simd;
pub mod special;
pub mod transform;

pub use exmc_core::Real;
