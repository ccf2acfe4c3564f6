//! Lowering of the model graph into a [`Program`].

use super::eval::Program;
use super::program::{Instr, Ref, TransformKind, CONST_BIT};
use super::density::{Compiled, ModelInfo, OutputVar, ParamInfo};
use super::CompileOptions;
use crate::dist::{ContKind, Dist, DistKind, Eval};
use crate::error::ModelError;
use crate::expr::{BinaryFn, Expr, Node, NodeData};
use crate::model::{Constraint, Model};
use crate::with_disc;
use exmc_math::dist::{Discrete, Support};
use exmc_math::transform::VectorTransform;
use crate::shape::Shape;
use std::collections::HashMap;
use std::sync::Arc;

/// Checks integer data of a discrete distribution (support, e.g. counts ≥ 0)
/// once, at build time.
pub(crate) fn check_discrete_data(var: &str, dist: &Dist, value: &Expr) -> Result<(), ModelError> {
    if let DistKind::Disc(kind) = dist.kind {
        let n = value.as_int_const().ok_or_else(|| ModelError::InvalidData {
            var: var.into(),
            message: format!("{} needs integer data", kind.name()),
        })?;
        let ints = element_ints(dist, n);
        let ni = kind.int_args().len();
        for (i, e) in ints.chunks(ni.max(1)).enumerate() {
            with_disc!(kind, D => D::check_ints(e)).map_err(|err| ModelError::InvalidData {
                var: var.into(),
                message: format!("element {}: {err}", i + 1),
            })?;
        }
    }
    Ok(())
}

/// Integer arguments element-major: for element `i`, the variate `n[i]` then
/// each extra integer argument (broadcast).
fn element_ints(dist: &Dist, n: &[i64]) -> Vec<i64> {
    let ni = 1 + dist.int_args.len();
    let mut out = Vec::with_capacity(n.len() * ni);
    for (i, &v) in n.iter().enumerate() {
        out.push(v);
        for a in &dist.int_args {
            out.push(if a.len() == 1 { a[0] } else { a.get(i).copied().unwrap_or(0) });
        }
    }
    out
}

struct Lowerer {
    prog: Program<f64>,
    memo: HashMap<*const NodeData, Ref>,
    next_val: usize,
    /// Keeps every memoised node alive (the memo is keyed by address).
    keep: Vec<Expr>,
    var: String,
}

const NO_REF: Ref = Ref { off: CONST_BIT, len: 0 };

impl Lowerer {
    fn alloc(&mut self, len: usize) -> Ref {
        let r = Ref { off: self.next_val as u32, len: len as u32 };
        self.next_val += len;
        r
    }

    fn constant(&mut self, values: &[f64]) -> Ref {
        let off = self.prog.consts.len();
        self.prog.consts.extend_from_slice(values);
        Ref { off: off as u32 | CONST_BIT, len: values.len() as u32 }
    }

    fn push_refs(&mut self, refs: &[Ref]) -> u32 {
        let start = self.prog.refs.len() as u32;
        self.prog.refs.extend_from_slice(refs);
        start
    }

    /// Emits an instruction producing `out_len` values; if every input is a
    /// constant, evaluates it now instead and returns a constant.
    fn emit(&mut self, inputs: &[Ref], out_len: usize, make: impl Fn(&mut Self, Ref) -> Instr) -> Result<Ref, ModelError> {
        if inputs.iter().all(|r| r.is_const()) {
            let out = Ref { off: 0, len: out_len as u32 };
            let ins = make(self, out);
            let mut tmp = vec![0.0; out_len];
            let mut partials = vec![0.0; self.prog.n_partials];
            let mut target = 0.0;
            self.prog.forward_one(&ins, &mut tmp, &mut partials, &mut Vec::new(), &mut target).map_err(|e| ModelError::Invalid {
                var: self.var.clone(),
                message: format!("evaluating data-only expression: {}", e.message),
            })?;
            Ok(self.constant(&tmp))
        } else {
            let out = self.alloc(out_len);
            let ins = make(self, out);
            self.prog.instrs.push(ins);
            Ok(out)
        }
    }

    /// Lowers an expression (iteratively: deep graphs from long loops must
    /// not overflow the stack).
    fn expr(&mut self, root: &Expr) -> Result<Ref, ModelError> {
        if let Some(msg) = root.error() {
            return Err(ModelError::Shape { var: self.var.clone(), message: msg.into() });
        }
        let mut stack: Vec<(Expr, bool)> = vec![(root.clone(), false)];
        while let Some((e, ready)) = stack.pop() {
            if self.memo.contains_key(&e.ptr()) {
                continue;
            }
            if !ready {
                stack.push((e.clone(), true));
                e.0.node.for_each_child(|c| {
                    if !self.memo.contains_key(&c.ptr()) {
                        stack.push((c.clone(), false));
                    }
                });
                continue;
            }
            let r = self.node(&e)?;
            self.memo.insert(e.ptr(), r);
            self.keep.push(e);
        }
        Ok(self.memo[&root.ptr()])
    }

    fn get(&self, e: &Expr) -> Ref {
        self.memo[&e.ptr()]
    }

    fn node(&mut self, e: &Expr) -> Result<Ref, ModelError> {
        let len = e.len();
        Ok(match &e.0.node {
            Node::Const(v) => self.constant(v),
            Node::IntConst(v) => {
                let f: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                self.constant(&f)
            }
            Node::Param(i) => {
                return Err(ModelError::Invalid {
                    var: self.var.clone(),
                    message: format!("uses parameter #{i} of another model"),
                })
            }
            Node::Unary(f, a) => {
                let (f, a) = (*f, self.get(a));
                self.emit(&[a], len, |_, out| Instr::Unary { f, a, out })?
            }
            Node::Binary(f, a, b) => {
                let (f, a, b) = (*f, self.get(a), self.get(b));
                self.emit(&[a, b], len, |_, out| Instr::Binary { f, a, b, out })?
            }
            Node::Sum(a) => {
                let a = self.get(a);
                self.emit(&[a], 1, |_, out| Instr::Sum { a, out })?
            }
            Node::Dot(a, b) => {
                let (a, b) = (self.get(a), self.get(b));
                self.emit(&[a, b], 1, |_, out| Instr::Dot { a, b, out })?
            }
            Node::LogSumExp(a) => {
                let a = self.get(a);
                self.emit(&[a], 1, |_, out| Instr::LogSumExp { a, out })?
            }
            Node::CumSum(a) => {
                let a = self.get(a);
                self.emit(&[a], len, |_, out| Instr::CumSum { a, out })?
            }
            Node::MatVec(m, v) => {
                let (m, v) = (self.get(m), self.get(v));
                if m.is_const() && !v.is_const() {
                    // A data matrix: keep a column-major copy for the fast kernel.
                    let (rows, cols) = (len, v.len());
                    let mv = &self.prog.consts[m.range()];
                    let cm: Vec<f64> = (0..cols).flat_map(|c| (0..rows).map(move |r| mv[r * cols + c])).collect();
                    let mt = self.constant(&cm);
                    self.emit(&[mt, v], len, |_, out| Instr::MatVecCols { mt, v, out })?
                } else {
                    self.emit(&[m, v], len, |_, out| Instr::MatVec { m, v, out })?
                }
            }
            Node::Cholesky(a) => {
                let a = self.get(a);
                let k = (len as f64).sqrt().round() as usize;
                let soff = self.prog.n_partials as u32;
                self.prog.n_partials += super::cholesky::scratch_len(k);
                self.emit(&[a], len, |_, out| Instr::Cholesky { a, out, soff })?
            }
            Node::Gather(a, idx) => {
                let a = self.get(a);
                let idx_start = self.prog.idx.len() as u32;
                self.prog.idx.extend_from_slice(idx);
                self.emit(&[a], len, |_, out| Instr::Gather { a, idx_start, out })?
            }
            Node::Concat(parts) => {
                let refs: Vec<Ref> = parts.iter().map(|p| self.get(p)).collect();
                let n = refs.len() as u32;
                let args = self.push_refs(&refs);
                self.emit(&refs, len, |_, out| Instr::Concat { args, n, out })?
            }
            Node::Reshape(a) => self.get(a),
            Node::Select(c, a, b) => {
                let (c, a, b) = (self.get(c), self.get(a), self.get(b));
                self.emit(&[c, a, b], len, |_, out| Instr::Select { c, a, b, out })?
            }
            Node::Custom(c, parts) => {
                let refs: Vec<Ref> = parts.iter().map(|p| self.get(p)).collect();
                let n: usize = refs.iter().map(|r| r.len()).sum();
                let id = self.prog.customs.len() as u32;
                self.prog.customs.push(c.clone());
                let nargs = refs.len() as u32;
                let args = self.push_refs(&refs);
                let poff = self.prog.n_partials as u32;
                self.prog.n_partials += n;
                self.emit(&refs, 1, |_, out| Instr::Custom { id, args, nargs, out, poff })?
            }
            Node::CustomFn(f, parts) => {
                let refs: Vec<Ref> = parts.iter().map(|p| self.get(p)).collect();
                let n: usize = refs.iter().map(|r| r.len()).sum();
                let id = self.prog.custom_fns.len() as u32;
                self.prog.custom_fns.push(f.clone());
                let nargs = refs.len() as u32;
                let args = self.push_refs(&refs);
                let poff = self.prog.n_partials as u32;
                self.prog.n_partials += super::custom_fn::partials_len(len, n);
                self.emit(&refs, len, |_, out| Instr::CustomFn { id, args, nargs, out, poff })?
            }
            Node::LogDensity(d, x) => {
                let x = self.get(x);
                let xe = match &e.0.node {
                    Node::LogDensity(_, xe) => xe.clone(),
                    _ => unreachable!(),
                };
                self.density(d, x, &xe)?
            }
        })
    }

    /// Emits the log density of `d` at the variate `x` (already lowered),
    /// returning a scalar ref.
    fn density(&mut self, d: &Dist, x: Ref, xe: &Expr) -> Result<Ref, ModelError> {
        let rewritten = log_scale_rewrite(d);
        let d = rewritten.as_ref().unwrap_or(d);
        let mut args = Vec::with_capacity(d.args.len());
        for a in &d.args {
            args.push(self.expr(a)?);
        }
        match d.kind {
            DistKind::Cont(kind) => {
                if args.len() != kind.params().len() {
                    return Err(ModelError::Invalid {
                        var: self.var.clone(),
                        message: format!("{} takes {} arguments, got {}", kind.name(), kind.params().len(), args.len()),
                    });
                }
                let mut ops = vec![x];
                ops.extend(&args);
                let trunc = d.truncation.is_some();
                if let Some((l, u)) = &d.truncation {
                    let l = match l {
                        Some(l) => self.expr(l)?,
                        None => NO_REF,
                    };
                    let u = match u {
                        Some(u) => self.expr(u)?,
                        None => NO_REF,
                    };
                    ops.push(l);
                    ops.push(u);
                }
                let trunc = trunc && d.eval == Eval::Lpdf;
                if (trunc || d.eval != Eval::Lpdf) && !kind.has_cdf() {
                    return Err(ModelError::Unsupported {
                        var: self.var.clone(),
                        message: format!("{} has no CDF yet, so it cannot be truncated or censored", kind.name()),
                    });
                }
                let need: usize = ops.iter().filter(|r| !r.is_const()).map(|r| r.len()).sum();
                let poff = self.prog.n_partials as u32;
                self.prog.n_partials += need;
                let nargs = ops.len() as u32;
                let start = self.push_refs(&ops);
                let eval = d.eval;
                self.emit(&ops, 1, |_, out| Instr::Cont { kind, eval, trunc, args: start, nargs, out, poff })
            }
            DistKind::Multi(kind) => {
                let mut ops = Vec::with_capacity(args.len() + 1);
                let (mut ioff, mut ni) = (0, 0);
                if kind.is_discrete() {
                    let n = xe.as_int_const().ok_or_else(|| ModelError::InvalidData {
                        var: self.var.clone(),
                        message: format!("{} needs integer data (1..=K) as its variate", kind.name()),
                    })?;
                    let k = d.args[0].len() as i64;
                    if let Some(bad) = n.iter().find(|&&v| v < 1 || v > k) {
                        return Err(ModelError::InvalidData {
                            var: self.var.clone(),
                            message: format!("{}: category {bad} is outside 1..={k}", kind.name()),
                        });
                    }
                    ioff = self.prog.ints.len() as u32;
                    ni = n.len() as u32;
                    self.prog.ints.extend_from_slice(n);
                } else {
                    ops.push(x);
                }
                ops.extend(&args);
                let lens: Vec<usize> = args.iter().map(|r| r.len()).collect();
                let scratch = super::multi_ops::scratch_len(kind, x.len(), &lens);
                let poff = self.prog.n_partials as u32;
                self.prog.n_partials += ops.iter().map(|r| r.len()).sum::<usize>() + scratch;
                let nargs = ops.len() as u32;
                let start = self.push_refs(&ops);
                let scratch = scratch as u32;
                self.emit(&ops, 1, |_, out| Instr::Multi { kind, args: start, nargs, ioff, ni, out, poff, scratch })
            }
            DistKind::Disc(kind) => {
                let n = xe.as_int_const().ok_or_else(|| ModelError::InvalidData {
                    var: self.var.clone(),
                    message: format!("{} needs integer data as its variate", kind.name()),
                })?;
                let ints = element_ints(d, n);
                let ni = kind.int_args().len().max(1);
                let mut cterm = 0.0;
                for e in ints.chunks(ni) {
                    cterm += with_disc!(kind, D => D::data_terms(e));
                }
                let cref = self.constant(&[cterm]);
                let ioff = self.prog.ints.len() as u32;
                self.prog.ints.extend_from_slice(&ints);
                let need: usize = args.iter().filter(|r| !r.is_const()).map(|r| r.len()).sum();
                let poff = self.prog.n_partials as u32;
                self.prog.n_partials += need;
                let nargs = args.len() as u32;
                let start = self.push_refs(&args);
                let nel = n.len() as u32;
                self.emit(&args, 1, |_, out| Instr::Disc {
                    kind,
                    n: nel,
                    ioff,
                    args: start,
                    nargs,
                    cterm: cref.start() as u32,
                    out,
                    poff,
                })
            }
        }
    }

    fn target(&mut self, r: Ref) {
        self.prog.instrs.push(Instr::Target { a: r });
    }
}

/// Rewrite pass: a Student-t density whose scale is `exp(u)` becomes the
/// log-scale Student-t of `u` (no `exp`, no `log` of it, one division less
/// per element). Value and gradient are the same.
fn log_scale_rewrite(d: &Dist) -> Option<Dist> {
    if d.kind != DistKind::Cont(ContKind::StudentT) || d.eval != Eval::Lpdf || d.truncation.is_some() || d.args.len() != 3 {
        return None;
    }
    match &d.args[2].0.node {
        Node::Unary(crate::UnaryFn::Exp, u) => {
            let mut r = d.clone();
            r.kind = DistKind::Cont(ContKind::StudentTLogScale);
            r.args[2] = u.clone();
            Some(r)
        }
        _ => None,
    }
}

/// How a parameter is represented on the unconstrained space.
enum Rep {
    /// `x = y` (no transform).
    Identity,
    /// Elementwise transform with bound expressions.
    Bounded(TransformKind, Vec<Expr>),
    /// Non-centred normal: `x = mu + sigma · z`, `z ~ normal(0, 1)`.
    NonCentred(Expr, Expr),
    /// A vector/matrix transform without bound arguments.
    Structured(VectorTransform),
}

/// The vector transform of a structured constraint for a parameter shape.
fn vector_transform(var: &str, c: &Constraint, shape: Shape) -> Result<Option<VectorTransform>, ModelError> {
    let bad = |what: &str| {
        Err(ModelError::Shape { var: var.into(), message: format!("a {what} parameter must be {}, got {shape}", match what {
            "simplex" | "ordered" | "positive_ordered" | "unit_vector" => "a vector",
            "cholesky_factor_cov" => "a matrix with rows >= columns",
            _ => "a square matrix",
        }) })
    };
    let t = match (c, shape) {
        (Constraint::Simplex, Shape::Vector(k)) => VectorTransform::Simplex { k },
        (Constraint::Simplex, _) => return bad("simplex"),
        (Constraint::SumToZero, Shape::Vector(k)) => VectorTransform::SumToZero { k },
        (Constraint::SumToZero, _) => return bad("sum_to_zero_vector"),
        (Constraint::Ordered, Shape::Vector(k)) => VectorTransform::Ordered { k },
        (Constraint::Ordered, _) => return bad("ordered"),
        (Constraint::PositiveOrdered, Shape::Vector(k)) => VectorTransform::PositiveOrdered { k },
        (Constraint::PositiveOrdered, _) => return bad("positive_ordered"),
        (Constraint::UnitVector, Shape::Vector(k)) => VectorTransform::UnitVector { k },
        (Constraint::UnitVector, _) => return bad("unit_vector"),
        (Constraint::CholeskyFactorCorr, Shape::Matrix(r, c)) if r == c => VectorTransform::CholeskyCorr { k: r },
        (Constraint::CholeskyFactorCorr, _) => return bad("cholesky_factor_corr"),
        (Constraint::CorrMatrix, Shape::Matrix(r, c)) if r == c => VectorTransform::CorrMatrix { k: r },
        (Constraint::CorrMatrix, _) => return bad("corr_matrix"),
        (Constraint::CovMatrix, Shape::Matrix(r, c)) if r == c => VectorTransform::CovMatrix { k: r },
        (Constraint::CovMatrix, _) => return bad("cov_matrix"),
        (Constraint::CholeskyFactorCov, Shape::Matrix(m, n)) if m >= n => VectorTransform::CholeskyCov { m, n },
        (Constraint::CholeskyFactorCov, _) => return bad("cholesky_factor_cov"),
        _ => return Ok(None),
    };
    t.validate().map_err(|e| ModelError::Invalid { var: var.into(), message: e.to_string() })?;
    Ok(Some(t))
}

fn representation(p: &crate::model::ParamDecl, opts: &CompileOptions) -> Result<Rep, ModelError> {
    let constraint = match (&p.constraint, &p.prior) {
        (Constraint::Auto, Some(d)) => d.default_structure().unwrap_or(Constraint::Auto),
        (c, _) => c.clone(),
    };
    if let Some(t) = vector_transform(&p.name, &constraint, p.shape)? {
        return Ok(Rep::Structured(t));
    }
    Ok(match &constraint {
        Constraint::Real => Rep::Identity,
        Constraint::Lower(a) => Rep::Bounded(TransformKind::Lower, vec![a.clone()]),
        Constraint::Upper(a) => Rep::Bounded(TransformKind::Upper, vec![a.clone()]),
        Constraint::Interval(a, b) => Rep::Bounded(TransformKind::Interval, vec![a.clone(), b.clone()]),
        Constraint::OffsetMultiplier(a, b) => Rep::Bounded(TransformKind::OffsetMultiplier, vec![a.clone(), b.clone()]),
        Constraint::Simplex
        | Constraint::SumToZero
        | Constraint::Ordered
        | Constraint::PositiveOrdered
        | Constraint::UnitVector
        | Constraint::CholeskyFactorCorr
        | Constraint::CorrMatrix
        | Constraint::CholeskyFactorCov
        | Constraint::CovMatrix => unreachable!("structured constraints are handled above"),
        Constraint::Auto => match &p.prior {
            None => Rep::Identity,
            Some(d) => match d.support() {
                Support::Real | Support::Circular => {
                    let is_normal = d.kind == DistKind::Cont(ContKind::Normal) && d.truncation.is_none();
                    if opts.noncentre && is_normal && d.args[1].is_random() {
                        Rep::NonCentred(d.args[0].clone(), d.args[1].clone())
                    } else {
                        Rep::Identity
                    }
                }
                Support::Positive => Rep::Bounded(TransformKind::Lower, vec![Expr::scalar(0.0)]),
                Support::Unit => Rep::Bounded(TransformKind::Interval, vec![Expr::scalar(0.0), Expr::scalar(1.0)]),
                Support::ParamLower { lower_param } => Rep::Bounded(TransformKind::Lower, vec![d.args[lower_param].clone()]),
                Support::ParamInterval { lower_param, upper_param } => Rep::Bounded(
                    TransformKind::Interval,
                    vec![d.args[lower_param].clone(), d.args[upper_param].clone()],
                ),
            },
        },
    })
}

pub(super) fn lower(m: &Model, opts: &CompileOptions) -> Result<Compiled, ModelError> {
    lower_with(m, opts, true)
}

/// [`lower`], with the scalar-block pass ([`super::scalar`]) switchable off
/// (tests compare the two).
pub(super) fn lower_with(m: &Model, opts: &CompileOptions, scalar_blocks: bool) -> Result<Compiled, ModelError> {
    let mut reps = Vec::with_capacity(m.params.len());
    let mut dim = 0;
    for p in &m.params {
        let rep = representation(p, opts)?;
        let n = match &rep {
            Rep::Structured(t) => t.free_len(),
            _ => p.shape.len(),
        };
        reps.push((rep, dim..dim + n));
        dim += n;
    }
    let mut lw = Lowerer {
        prog: Program {
            instrs: vec![],
            n_logp: 0,
            refs: vec![],
            idx: vec![],
            ints: vec![],
            consts: vec![],
            n_vals: 0,
            n_partials: 0,
            dim,
            customs: vec![],
            custom_fns: vec![],
            sops: vec![],
            const_slots: vec![],
            isa: exmc_math::simd::Isa::detect(),
        },
        memo: HashMap::new(),
        next_val: dim,
        keep: vec![],
        var: String::new(),
    };
    let mut params_info = Vec::with_capacity(m.params.len());
    // Parameters in declaration order: transform, then prior.
    for (p, (rep, range)) in m.params.iter().zip(&reps) {
        lw.var = p.name.clone();
        let y = Ref { off: range.start as u32, len: range.len() as u32 };
        let (value, info_bounds) = match rep {
            Rep::Identity => (y, None),
            Rep::Bounded(kind, bounds) => {
                let mut brefs = Vec::with_capacity(bounds.len());
                for b in bounds {
                    brefs.push(lw.expr(b)?);
                }
                let nargs = brefs.len() as u32;
                let args = lw.push_refs(&brefs);
                let out = lw.alloc(y.len());
                lw.prog.instrs.push(Instr::Transform { kind: *kind, y, args, nargs, out });
                (out, Some((*kind, brefs)))
            }
            Rep::NonCentred(mu, sigma) => {
                let (mu_r, sigma_r) = (lw.expr(mu)?, lw.expr(sigma)?);
                let scaled = lw.emit(&[sigma_r, y], y.len(), |_, out| Instr::Binary { f: BinaryFn::Mul, a: sigma_r, b: y, out })?;
                let value = lw.emit(&[mu_r, scaled], y.len(), |_, out| Instr::Binary { f: BinaryFn::Add, a: mu_r, b: scaled, out })?;
                (value, None)
            }
            Rep::Structured(t) => {
                let out = lw.alloc(t.constrained_len());
                let soff = lw.prog.n_partials as u32;
                lw.prog.n_partials += t.scratch_len();
                lw.prog.instrs.push(Instr::VTransform { t: *t, y, out, soff });
                (out, None)
            }
        };
        lw.memo.insert(p.node.ptr(), value);
        // The prior.
        if let Some(d) = &p.prior {
            let term = match rep {
                Rep::NonCentred(..) => {
                    let std = crate::dist::normal(0.0, 1.0);
                    lw.density(&std, y, &Expr::scalar(0.0))?
                }
                _ => lw.density(d, value, &Expr::scalar(0.0))?,
            };
            lw.target(term);
        }
        params_info.push(ParamInfo {
            name: p.name.clone(),
            shape: p.shape,
            unconstrained: range.clone(),
            value,
            bounds: info_bounds,
            noncentred: matches!(rep, Rep::NonCentred(..)),
            structure: match rep {
                Rep::Structured(t) => Some(*t),
                _ => None,
            },
        });
    }
    for o in &m.observed {
        lw.var = o.name.clone();
        let x = lw.expr(&o.value)?;
        let term = lw.density(&o.dist, x, &o.value)?;
        lw.target(term);
    }
    for (name, f) in &super::vectorise::factors(&super::cse::factors(&m.factors)) {
        lw.var = name.clone();
        let r = lw.expr(f)?;
        lw.target(r);
    }
    lw.prog.n_logp = lw.prog.instrs.len();
    let mut outputs = Vec::new();
    for p in &params_info {
        outputs.push(OutputVar { name: p.name.clone(), shape: p.shape, r: p.value });
    }
    for (name, e) in &m.deterministics {
        lw.var = name.clone();
        let r = lw.expr(e)?;
        outputs.push(OutputVar { name: name.clone(), shape: e.shape(), r });
    }
    lw.prog.n_vals = lw.next_val;
    if scalar_blocks {
        let reads: Vec<Ref> = outputs.iter().map(|o| o.r).collect();
        super::scalar::build_blocks(&mut lw.prog, &reads);
    }
    let info = ModelInfo { dim, params: params_info, outputs };
    Ok(Compiled::new(Arc::new(lw.prog), Arc::new(info)))
}

