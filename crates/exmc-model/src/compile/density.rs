//! The compiled model: a log density (the sampler's contract) plus the map
//! from unconstrained draws to named constrained values.

use super::eval::{rd, Program, Workspace};
use super::program::{Ref, TransformKind};
use crate::shape::Shape;
use exmc_core::{LogDensity, LogpError, Real};
use exmc_math::transform as tr;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// A named output quantity (parameter or deterministic) and where its value
/// lives after a forward sweep.
#[derive(Clone, Debug)]
pub struct OutputVar {
    pub name: String,
    pub shape: Shape,
    pub(crate) r: Ref,
}

#[derive(Clone, Debug)]
pub(crate) struct ParamInfo {
    pub name: String,
    pub shape: Shape,
    pub unconstrained: Range<usize>,
    pub value: Ref,
    /// Elementwise transform and its bound operands, if any.
    pub bounds: Option<(TransformKind, Vec<Ref>)>,
    pub noncentred: bool,
    /// Vector / matrix transform, if any.
    pub structure: Option<exmc_math::transform::VectorTransform>,
}

#[derive(Clone, Debug)]
pub(crate) struct ModelInfo {
    pub dim: usize,
    pub params: Vec<ParamInfo>,
    pub outputs: Vec<OutputVar>,
}

/// A compiled model, independent of precision. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Compiled {
    program: Arc<Program<f64>>,
    info: Arc<ModelInfo>,
}

impl Compiled {
    pub(crate) fn new(program: Arc<Program<f64>>, info: Arc<ModelInfo>) -> Self {
        Compiled { program, info }
    }

    /// The vector instruction set of the hot kernels (detected when the
    /// model was compiled; see [`exmc_math::simd`]).
    pub fn isa(&self) -> exmc_math::simd::Isa {
        self.program.isa
    }

    /// The same model with its kernels' instruction set lowered to at most
    /// `isa` (e.g. [`Isa::scalar`](exmc_math::simd::Isa::scalar) for the
    /// portable loops); it never goes above what was detected.
    pub fn with_isa(&self, isa: exmc_math::simd::Isa) -> Compiled {
        let mut p = (*self.program).clone();
        p.isa = p.isa.at_most(isa);
        Compiled { program: Arc::new(p), info: self.info.clone() }
    }

    /// Number of unconstrained coordinates.
    pub fn dim(&self) -> usize {
        self.info.dim
    }

    /// Number of instructions (log density / total), for diagnostics.
    pub fn instruction_count(&self) -> (usize, usize) {
        (self.program.n_logp, self.program.instrs.len())
    }

    /// The log density's instructions, one per line (`Debug` form), for
    /// diagnostics and performance work; the format is not stable.
    pub fn listing(&self) -> String {
        let p = &self.program;
        let mut s = String::new();
        for ins in &p.instrs[..p.n_logp] {
            s += &format!("{ins:?}\n");
            if let super::program::Instr::Scalar { start, n } = *ins {
                for o in &p.sops[start as usize..(start + n) as usize] {
                    s += &format!("    {o:?}\n");
                }
            }
        }
        s
    }

    /// A log density in precision `T` (`f32` or `f64`) with its own buffers.
    /// Create one per chain.
    pub fn density<T: Real>(&self) -> CompiledDensity<T> {
        let program: Arc<Program<T>> = if std::any::TypeId::of::<T>() == std::any::TypeId::of::<f64>() {
            // Safe re-typing: T is f64 here.
            let p: &dyn std::any::Any = &self.program;
            p.downcast_ref::<Arc<Program<T>>>().cloned().expect("T is f64")
        } else {
            Arc::new(self.program.cast::<T>())
        };
        let ws = Workspace::new(&program);
        CompiledDensity { program, ws, info: self.info.clone() }
    }

    /// The output variables (parameters then deterministics).
    pub fn outputs(&self) -> &[OutputVar] {
        &self.info.outputs
    }

    /// Stan-style flattened names of every output element, in Stan's order
    /// (`theta[1]`, matrices column-major `Sigma[2,1]`).
    pub fn output_names(&self) -> Vec<String> {
        self.info.outputs.iter().flat_map(|o| o.shape.element_names(&o.name).into_iter().map(|(n, _)| n)).collect()
    }

    /// Names of the parameters, in declaration order.
    pub fn param_names(&self) -> Vec<String> {
        self.info.params.iter().map(|p| p.name.clone()).collect()
    }

    /// The unconstrained vector for given constrained parameter values
    /// (e.g. user initial values). Every parameter must be given, row-major.
    pub fn unconstrain(&self, values: &HashMap<String, Vec<f64>>) -> Result<Vec<f64>, String> {
        let mut y = vec![0.0; self.info.dim];
        for p in &self.info.params {
            let v = values.get(&p.name).ok_or_else(|| format!("no value given for parameter '{}'", p.name))?;
            if v.len() != p.shape.len() {
                return Err(format!("parameter '{}' needs {} values ({}), got {}", p.name, p.shape.len(), p.shape, v.len()));
            }
            if p.noncentred {
                return Err(format!(
                    "initial values for the non-centred parameter '{}' are not supported yet (compile with noncentre off)",
                    p.name
                ));
            }
            let out = &mut y[p.unconstrained.clone()];
            if let Some(t) = &p.structure {
                t.inverse(v, out).map_err(|e| format!("parameter '{}': {e}", p.name))?;
                continue;
            }
            match &p.bounds {
                None => out.copy_from_slice(v),
                Some((kind, brefs)) => {
                    if brefs.iter().any(|r| !r.is_const()) {
                        return Err(format!(
                            "initial values for '{}', whose bounds depend on other parameters, are not supported yet",
                            p.name
                        ));
                    }
                    let b: Vec<&[f64]> = brefs.iter().map(|r| rd(&[], &self.program.consts, *r)).collect();
                    let at = |s: &[f64], i: usize| if s.len() == 1 { s[0] } else { s[i] };
                    for i in 0..v.len() {
                        let r = match kind {
                            TransformKind::Lower => tr::lower::inverse(v[i], at(b[0], i)),
                            TransformKind::Upper => tr::upper::inverse(v[i], at(b[0], i)),
                            TransformKind::Interval => tr::interval::inverse(v[i], at(b[0], i), at(b[1], i)),
                            TransformKind::OffsetMultiplier => {
                                tr::offset_multiplier::inverse(v[i], at(b[0], i), at(b[1], i))
                            }
                        };
                        out[i] = r.map_err(|e| format!("parameter '{}': {e}", p.name))?;
                    }
                }
            }
        }
        Ok(y)
    }
}

/// A compiled log density in precision `T`, with its own buffers. Cloning
/// shares the program and copies the buffers.
#[derive(Clone, Debug)]
pub struct CompiledDensity<T> {
    program: Arc<Program<T>>,
    ws: Workspace<T>,
    info: Arc<ModelInfo>,
}

impl<T: Real> CompiledDensity<T> {
    /// Evaluates the log density only (no gradient).
    pub fn logp(&mut self, x: &[T]) -> Result<T, LogpError> {
        self.check_len(x)?;
        self.program.forward(&mut self.ws, x, self.program.n_logp)
    }

    fn check_len(&self, x: &[T]) -> Result<(), LogpError> {
        if x.len() != self.program.dim {
            return Err(LogpError::fatal(format!("expected {} coordinates, got {}", self.program.dim, x.len())));
        }
        Ok(())
    }

    /// Writes every output element (Stan order, see
    /// [`Compiled::output_names`]) for the unconstrained point `x` into `out`.
    pub fn constrain(&mut self, x: &[T], out: &mut Vec<f64>) -> Result<(), LogpError> {
        self.check_len(x)?;
        let n = self.program.instrs.len();
        self.program.forward(&mut self.ws, x, n)?;
        out.clear();
        for o in &self.info.outputs {
            let v = rd(&self.ws.vals, &self.program.consts, o.r);
            for (_, i) in o.shape.element_names("") {
                out.push(v[i].f64());
            }
        }
        Ok(())
    }

    /// Constrained values by variable name (row-major), for tests and tools.
    pub fn constrained_values(&mut self, x: &[T]) -> Result<HashMap<String, Vec<f64>>, LogpError> {
        self.check_len(x)?;
        let n = self.program.instrs.len();
        self.program.forward(&mut self.ws, x, n)?;
        Ok(self
            .info
            .outputs
            .iter()
            .map(|o| (o.name.clone(), rd(&self.ws.vals, &self.program.consts, o.r).iter().map(|v| v.f64()).collect()))
            .collect())
    }
}

impl<T: Real> CompiledDensity<T> {
    /// The value of output `index` (see [`Compiled::outputs`]) at `x` and,
    /// with `jac`, its Jacobian `∂out_i/∂x_j` row-major (`len × dim`): one
    /// forward sweep and one reverse sweep per element. Every parameter
    /// must be unconstrained (the reverse sweep of a constraining transform
    /// also carries its log-Jacobian's gradient).
    pub fn output_jacobian(&mut self, x: &[T], index: usize, value: &mut [T], jac: Option<&mut [T]>) -> Result<(), LogpError> {
        self.check_len(x)?;
        if let Some(p) = self.info.params.iter().find(|p| p.bounds.is_some() || p.structure.is_some() || p.noncentred) {
            return Err(LogpError::fatal(format!("output_jacobian needs unconstrained parameters; '{}' is constrained", p.name)));
        }
        let o = self.info.outputs.get(index).ok_or_else(|| LogpError::fatal(format!("no output number {index}")))?;
        let len = o.r.len();
        if value.len() != len || jac.as_ref().is_some_and(|j| j.len() != len * self.program.dim) {
            return Err(LogpError::fatal(format!("output_jacobian: buffers for {len} values of {}", o.name)));
        }
        self.program.output_jacobian(&mut self.ws, x, o.r, value, jac)
    }
}

impl<T: Real> LogDensity<T> for CompiledDensity<T> {
    fn dim(&self) -> usize {
        self.program.dim
    }

    fn logp_grad(&mut self, x: &[T], grad: &mut [T]) -> Result<T, LogpError> {
        self.check_len(x)?;
        if grad.len() != x.len() {
            return Err(LogpError::fatal("gradient buffer has the wrong length"));
        }
        self.program.logp_grad(&mut self.ws, x, grad)
    }
}
