//! Lowering a Stan program to the model graph, and generated quantities.
//!
//! [`StanModel::build`] runs the data, transformed data, parameters,
//! transformed parameters and model blocks once with the data known
//! (building the model graph), compiles it, and records the output columns:
//! parameters, transformed parameters and generated quantities, flattened as
//! CmdStan does (`theta[1]`, multi-dimensional values column-major).
//! [`StanOutputs`] computes one draw's output row: it re-runs transformed
//! parameters and generated quantities with the parameters' values known
//! (the `_rng` functions draw from the chain's own stream).

mod branch;
mod builtins;
mod decl;
mod dists;
mod exec;
mod gp;
mod interp;
mod linalg;
mod multi_rng;
mod parallel;
mod ode;
mod target;
mod value;

pub use interp::LowerError;

/// Whether the lowering implements `name` (a builtin function, or a
/// distribution function such as `normal_lpdf`).
pub fn supports(name: &str) -> bool {
    builtins::supported(name) || ode::supported(name) || dists::split_suffix(name).is_some() || parallel::supported(name)
}

use crate::ast::{Block, BlockKind, Program, StmtKind, VarDecl};
use crate::diagnostic::Diagnostic;
use interp::{Flow, Interp};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use crate::data::{DataError, DataSet};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;
use value::{Sc, Tensor, Val};

/// The seed of transformed data's random numbers (the same in every chain,
/// so that transformed data are the same everywhere).
const TDATA_SEED: u64 = 0x5EED_DA7A;

struct Shared {
    program: Program,
    source: String,
    file: String,
    data: DataSet,
    /// Number of output columns.
    n_outputs: usize,
}

/// Why a program could not be built: the program itself (parse, type,
/// lowering errors) or its data.
#[derive(Clone, Debug)]
pub enum BuildError {
    Program(Vec<Diagnostic>),
    Data(Vec<DataError>),
}

impl BuildError {
    /// Renders every message (`file:line:col`, source line, caret).
    pub fn render(&self, stan_name: &str, stan_source: &str, json_name: &str) -> String {
        match self {
            BuildError::Program(d) => crate::render_diagnostics(d, stan_name, stan_source),
            BuildError::Data(errs) => errs.iter().map(|e| e.render(json_name, stan_name, stan_source)).collect(),
        }
    }

    /// As diagnostics (data errors in JSON syntax have no Stan location).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            BuildError::Program(d) => d,
            BuildError::Data(errs) => errs
                .into_iter()
                .map(|e| match e {
                    DataError::Decl(d) => d,
                    DataError::Json { line, col, message } => {
                        Diagnostic::error(crate::Span::new(0, 0), format!("data:{line}:{col}: {message}"))
                    }
                })
                .collect(),
        }
    }
}

/// A Stan program lowered to a compiled model.
pub struct StanModel {
    pub compiled: exmc_model::Compiled,
    /// CmdStan-style output names: parameters, transformed parameters,
    /// generated quantities (`theta[1]`, `Sigma[2,1]`).
    pub output_names: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    shared: Arc<Shared>,
}

fn top_decls(b: &Option<Block>) -> Vec<&VarDecl> {
    b.iter()
        .flat_map(|b| b.stmts.iter())
        .filter_map(|s| match &s.kind {
            StmtKind::Decl(d) => Some(&**d),
            _ => None,
        })
        .collect()
}

/// Flattens a value in Stan's output order (first index fastest).
fn flatten_output(v: &Val, out: &mut Vec<f64>) {
    let dims = v.dims();
    let mut rowmajor = Vec::new();
    collect_row_major(v, &mut rowmajor);
    if dims.len() <= 1 {
        out.extend(rowmajor);
        return;
    }
    let total: usize = dims.iter().product();
    let mut strides = vec![1; dims.len()];
    for k in (0..dims.len() - 1).rev() {
        strides[k] = strides[k + 1] * dims[k + 1];
    }
    for lin in 0..total {
        // column-major position → row-major offset
        let mut rem = lin;
        let mut off = 0;
        for k in 0..dims.len() {
            let i = rem % dims[k];
            rem /= dims[k];
            off += i * strides[k];
        }
        out.push(rowmajor.get(off).copied().unwrap_or(f64::NAN));
    }
}

fn collect_row_major(v: &Val, out: &mut Vec<f64>) {
    match v {
        Val::Int(i) => out.push(*i as f64),
        Val::Real(Sc::C(x)) => out.push(*x),
        Val::Real(Sc::E(_)) => out.push(f64::NAN),
        Val::Tensor(t) => out.extend(t.constants().unwrap_or_else(|| vec![f64::NAN; t.len()])),
        Val::Array(a) => a.iter().for_each(|x| collect_row_major(x, out)),
    }
}

/// Output names of a variable with dims, first index fastest.
fn output_names(name: &str, dims: &[usize], out: &mut Vec<String>) {
    if dims.is_empty() {
        out.push(name.to_string());
        return;
    }
    let total: usize = dims.iter().product();
    for lin in 0..total {
        let mut rem = lin;
        let mut idx = Vec::with_capacity(dims.len());
        for &d in dims {
            idx.push((rem % d + 1).to_string());
            rem /= d;
        }
        out.push(format!("{name}[{}]", idx.join(",")));
    }
}

impl StanModel {
    /// Parses, lowers and compiles `source` with `data` (CmdStan JSON).
    pub fn build(source: &str, file: &str, data: &Json) -> Result<StanModel, Vec<Diagnostic>> {
        StanModel::build_from_text(source, file, &data.to_string(), "data")
            .map_err(|e| e.into_diagnostics())
    }

    /// Parses, checks, reads the data (CmdStan JSON text, validated against
    /// the data block), lowers and compiles.
    pub fn build_from_text(source: &str, file: &str, json: &str, json_name: &str) -> Result<StanModel, BuildError> {
        let (program, mut warnings) = crate::parse(source).map_err(BuildError::Program)?;
        let checked = crate::check::check(&program).map_err(BuildError::Program)?;
        warnings.extend(checked.warnings.iter().cloned());
        let data = crate::data::read_data(json, json_name, &checked, file, source).map_err(BuildError::Data)?;
        StanModel::lower(program, source, file, data, warnings).map_err(BuildError::Program)
    }

    fn lower(program: Program, source: &str, file: &str, data: DataSet, warnings: Vec<Diagnostic>) -> Result<StanModel, Vec<Diagnostic>> {
        let shared = Arc::new(Shared { program, source: source.to_string(), file: file.to_string(), data, n_outputs: 0 });
        let (compiled, names) = {
            let sh = &*shared;
            let mut it = Interp::new(&sh.program, &sh.source, &sh.file);
            it.model = Some(exmc_model::Model::new());
            let one = |e: LowerError| vec![e.to_diagnostic()];
            run_data_blocks(&mut it, &sh.data).map_err(one)?;
            it.block = BlockKind::Parameters;
            let mut names = Vec::new();
            for d in top_decls(&sh.program.parameters) {
                let v = it.declare_param(d).map_err(one)?;
                output_names(&d.name.name, &v.dims(), &mut names);
                it.define(&d.name.name, v);
            }
            it.block = BlockKind::TransformedParameters;
            if let Some(b) = &sh.program.transformed_parameters {
                run_block(&mut it, b).map_err(one)?;
                for d in top_decls(&sh.program.transformed_parameters) {
                    let v = it.lookup(&d.name.name).cloned().expect("declared");
                    output_names(&d.name.name, &v.dims(), &mut names);
                }
            }
            it.block = BlockKind::Model;
            if let Some(b) = &sh.program.model {
                run_block(&mut it, b).map_err(one)?;
            }
            // Generated quantities: their sizes depend on data only.
            for d in top_decls(&sh.program.generated_quantities) {
                let s = it.sized(&d.ty).map_err(one)?;
                output_names(&d.name.name, &s.dims(), &mut names);
            }
            let model = it.model.take().expect("trace mode");
            let compiled = model.compile().map_err(|e| vec![Diagnostic::error(sh.program.span, e.to_string())])?;
            (compiled, names)
        };
        let shared = Arc::new(Shared { n_outputs: names.len(), ..Arc::try_unwrap(shared).ok().expect("only owner") });
        let model = StanModel { compiled, output_names: names, warnings, shared };
        model.trial_row()?;
        Ok(model)
    }

    /// One output row at the origin of the unconstrained space: a function
    /// that exmc does not support in transformed parameters or generated
    /// quantities is a build error naming it,
    /// not rows of NaN at run time. Errors that depend on the values (a
    /// `reject`, a domain error) are left to the run.
    fn trial_row(&self) -> Result<(), Vec<Diagnostic>> {
        let Ok(mut o) = self.outputs(0, 0) else { return Ok(()) };
        let x = vec![0.0; self.compiled.dim()];
        let mut out = Vec::new();
        match o.row(&x, &mut out) {
            Err(e) if e.message.contains("not supported") => Err(vec![e.to_diagnostic()]),
            _ => Ok(()),
        }
    }

    /// The per-chain map from unconstrained draws to output rows.
    pub fn outputs(&self, seed: u64, chain: usize) -> Result<StanOutputs, Diagnostic> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1_000_000 + chain as u64);
        let sh = &*self.shared;
        let mut it = Interp::new(&sh.program, &sh.source, &sh.file);
        run_data_blocks(&mut it, &sh.data).map_err(|e| e.to_diagnostic())?;
        let base = it.scopes[0].clone();
        Ok(StanOutputs { shared: self.shared.clone(), density: self.compiled.density::<f64>(), base, rng })
    }
}

/// Data and transformed data, concretely (in both modes).
fn run_data_blocks(it: &mut Interp<'_>, data: &DataSet) -> Result<(), LowerError> {
    it.block = BlockKind::Data;
    for d in top_decls(&it.prog.data) {
        let v = it.data_value(d, data)?;
        it.define(&d.name.name, v);
    }
    it.block = BlockKind::TransformedData;
    let model = it.model.take();
    let mut rng = ChaCha8Rng::seed_from_u64(TDATA_SEED);
    rng.set_stream(0);
    it.rng = Some(rng);
    let prog = it.prog;
    if let Some(b) = &prog.transformed_data {
        run_block(it, b)?;
    }
    it.rng = None;
    it.model = model;
    Ok(())
}

/// Runs a block's statements in the global scope (its declarations stay visible).
fn run_block(it: &mut Interp<'_>, b: &Block) -> Result<(), LowerError> {
    match it.exec_block(&b.stmts)? {
        Flow::Normal => Ok(()),
        Flow::Return(_) => Err(LowerError::new(b.span, "'return' outside a function")),
        Flow::Break | Flow::Continue => Err(LowerError::new(b.span, "'break' or 'continue' outside a loop")),
    }
}

/// One chain's map from unconstrained draws to output rows (parameters,
/// transformed parameters, generated quantities).
pub struct StanOutputs {
    shared: Arc<Shared>,
    density: exmc_model::CompiledDensity<f64>,
    base: HashMap<String, Val>,
    rng: ChaCha8Rng,
}

impl StanOutputs {
    /// Writes the output row of the unconstrained draw `x`.
    pub fn row(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LowerError> {
        let sh = &*self.shared;
        let values = self
            .density
            .constrained_values(x)
            .map_err(|e| LowerError::new(sh.program.span, e.message.to_string()))?;
        let mut it = Interp::new(&sh.program, &sh.source, &sh.file);
        it.scopes[0] = self.base.clone();
        it.rng = Some(std::mem::replace(&mut self.rng, ChaCha8Rng::seed_from_u64(0)));
        let result = (|| {
            out.clear();
            for d in top_decls(&sh.program.parameters) {
                let s = it.sized(&d.ty)?;
                let v = rebuild(&d.name.name, &s, &values, d.ty.base.is_constrained());
                flatten_output(&v, out);
                it.define(&d.name.name, v);
            }
            it.block = BlockKind::TransformedParameters;
            if let Some(b) = &sh.program.transformed_parameters {
                run_block(&mut it, b)?;
                for d in top_decls(&sh.program.transformed_parameters) {
                    let v = it.lookup(&d.name.name).cloned().expect("declared");
                    flatten_output(&v, out);
                }
            }
            it.block = BlockKind::GeneratedQuantities;
            if let Some(b) = &sh.program.generated_quantities {
                run_block(&mut it, b)?;
                for d in top_decls(&sh.program.generated_quantities) {
                    let v = it.lookup(&d.name.name).cloned().expect("declared");
                    it.check_bounds(d, &v)?;
                    flatten_output(&v, out);
                }
            }
            Ok(())
        })();
        self.rng = it.rng.take().expect("rng");
        if out.len() != sh.n_outputs {
            out.resize(sh.n_outputs, f64::NAN);
        }
        result
    }
}

/// A parameter's value from the compiled model's constrained values.
/// Arrays split into one model parameter per element (see
/// [`decl::one_param_per_element`]) are rebuilt recursively. Missing values
/// are NaN.
fn rebuild(name: &str, s: &decl::Sized, values: &HashMap<String, Vec<f64>>, constrained: bool) -> Val {
    let scalar_or_tensor = |v: &[f64]| match s.base {
        decl::BaseKind::Scalar => Val::real(v.first().copied().unwrap_or(f64::NAN)),
        decl::BaseKind::Tensor(k) => {
            Val::Tensor(Tensor::constant(k, (0..k.len()).map(|i| v.get(i).copied().unwrap_or(f64::NAN)).collect()))
        }
    };
    if decl::one_param_per_element(constrained, s) {
        let inner = decl::Sized { array: s.array[1..].to_vec(), base: s.base, int: s.int };
        return Val::Array((0..s.array[0]).map(|k| rebuild(&format!("{name}.{}", k + 1), &inner, values, constrained)).collect());
    }
    let v = values.get(name).cloned().unwrap_or_default();
    let at = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    match (s.array.as_slice(), s.base) {
        ([], _) => scalar_or_tensor(&v),
        ([n], decl::BaseKind::Scalar) => Val::Array((0..*n).map(|i| Val::real(at(i))).collect()),
        ([j], decl::BaseKind::Tensor(k)) => {
            let len = k.len();
            Val::Array((0..*j).map(|i| Val::Tensor(Tensor::constant(k, (i * len..(i + 1) * len).map(at).collect()))).collect())
        }
        ([r, c], decl::BaseKind::Scalar) => Val::Array((0..*r).map(|i| Val::Array((0..*c).map(|j| Val::real(at(i * c + j))).collect())).collect()),
        _ => Val::Array(vec![]),
    }
}

/// Test helper: the compiled gradient against central finite differences.
#[cfg(test)]
pub(crate) fn assert_gradient_matches_fd(m: &StanModel, y: &[f64]) {
    use exmc_core::LogDensity;
    let mut d = m.compiled.density::<f64>();
    let mut g = vec![0.0; y.len()];
    let mut tmp = vec![0.0; y.len()];
    d.logp_grad(y, &mut g).unwrap();
    for k in 0..y.len() {
        let h = 1e-6;
        let (mut yp, mut ym) = (y.to_vec(), y.to_vec());
        yp[k] += h;
        ym[k] -= h;
        let fd = (d.logp_grad(&yp, &mut tmp).unwrap() - d.logp_grad(&ym, &mut tmp).unwrap()) / (2.0 * h);
        assert!((g[k] - fd).abs() < 1e-6 * fd.abs().max(1.0), "coordinate {k}: {} vs {fd}", g[k]);
    }
}
