//! Compilation: model graph → rewrite passes → flat program.
//!
//! Passes (in [`lower`]): attach default transforms from each prior's
//! support; non-centre normal priors whose scale is random (switchable off);
//! fold data-only subgraphs into constants (every node is evaluated at
//! compile time when all its inputs are constants); merge scalar density
//! factors and the scalar operations feeding them into vector ones
//! ([`vectorise`]); then lower the rest into
//! a [`program`] of vectorised instructions with forward and reverse sweeps;
//! finally, runs of scalar arithmetic (loops with a carried state) become
//! compact blocks with fused multiply-adds ([`scalar`]).

mod binary;
mod cholesky;
mod cse;
mod custom_fn;
mod density;
mod dist_ops;
pub(crate) mod eval;
mod jacobian;
mod lower;
mod multi_ops;
pub(crate) mod scalar;
pub(crate) mod program;
mod simd_ops;
mod unary;
mod vectorise;

pub use density::{Compiled, CompiledDensity, OutputVar};

/// `f(x)` in f64, as the compiled program computes it (for front ends that
/// evaluate data-only expressions themselves).
pub fn apply_unary(f: crate::UnaryFn, x: f64) -> f64 {
    unary::value(f, x)
}

/// `f(a, b)` in f64, as the compiled program computes it.
pub fn apply_binary(f: crate::BinaryFn, a: f64, b: f64) -> f64 {
    binary::value(f, a, b)
}
pub(crate) use lower::check_discrete_data;

/// Options for [`crate::Model::compile_with`].
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// Rewrite `theta ~ normal(mu, sigma)` with a random `sigma` as
    /// `theta = mu + sigma * z, z ~ normal(0, 1)` (sampled in `z`, reported
    /// as `theta`). Default off: the user's parameterisation is kept, as Stan
    /// does. Measured on the benchmark suite: it removes the funnel of
    /// eight schools and Neal's funnel, but on a group informed by many
    /// observations (`medium`, 30 per group) it creates the inverted funnel
    /// and divergences, so it is an opt-in.
    pub noncentre: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions { noncentre: false }
    }
}

impl crate::Model {
    /// Compiles with the default options.
    pub fn compile(&self) -> Result<Compiled, crate::ModelError> {
        self.compile_with(&CompileOptions::default())
    }

    pub fn compile_with(&self, opts: &CompileOptions) -> Result<Compiled, crate::ModelError> {
        lower::lower(self, opts)
    }
}
