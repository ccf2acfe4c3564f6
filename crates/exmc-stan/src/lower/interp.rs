//! The interpreter that lowers a Stan program: it runs the program's
//! statements once, with data known, building the model graph for
//! everything that depends on parameters ("trace" mode), or computing
//! plain numbers when every parameter is known (generated quantities:
//! "concrete" mode, where `_rng` functions draw).
//!
//! Loops must be decidable from data: a `while` condition that depends on a
//! parameter is a clear "not supported yet" error, never a wrong program;
//! an `if` on parameters traces both branches ([`super::branch`]).

use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::token::Span;
use exmc_model::{apply_binary, apply_unary, BinaryFn, Expr, Model, Shape, UnaryFn};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::sync::Arc;

/// An error met while lowering or evaluating, with the source span.
#[derive(Clone, Debug)]
pub struct LowerError {
    pub span: Span,
    pub message: String,
}

impl LowerError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        LowerError { span, message: message.into() }
    }
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.span, self.message.clone())
    }
}

pub type R<T> = Result<T, LowerError>;

pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Option<Val>),
}

/// An index after evaluation: one position, or several (ranges, `:`, int arrays), 0-based.
#[derive(Clone, Debug)]
pub(crate) enum Ix {
    One(usize),
    Many(Vec<usize>),
}

pub(crate) struct Interp<'p> {
    pub prog: &'p Program,
    pub source: &'p str,
    pub file: String,
    pub funcs: HashMap<&'p str, &'p FunDef>,
    /// Arena of graph expressions (trace mode).
    pub exprs: Vec<Expr>,
    /// Constant tensors already in the arena, by data address. The `Arc` is
    /// kept so that the address cannot be reused by another tensor.
    const_cache: HashMap<usize, (Arc<Vec<f64>>, u32)>,
    /// The model under construction (trace mode only).
    pub model: Option<Model>,
    pub scopes: Vec<HashMap<String, Val>>,
    /// Random numbers for `_rng` (concrete mode only).
    pub rng: Option<ChaCha8Rng>,
    pub block: BlockKind,
    pub depth: usize,
    /// Each parameter's log-Jacobian in terms of its constrained value, or
    /// the constraint that has none (trace mode; for `target()`).
    pub jacobians: Vec<Result<Expr, &'static str>>,
    /// The `target +=` / `~` terms added so far (trace mode; for `target()`).
    pub target_terms: Vec<Expr>,
    /// While tracing the branches of an `if` on parameters: each branch's
    /// target terms, innermost last ([`super::branch`]).
    pub target_sinks: Vec<Vec<Expr>>,
    /// Scalar expressions already in the arena, by their operation and
    /// operands (arena indices; constants by their bits): an element of a
    /// whole tensor, or a unary/binary function of scalars. A loop that
    /// recomputes `log(theta[j, k])` for every `t` gets one graph node.
    scalar_memo: HashMap<(u8, u32, u64, u64), u32>,
}

/// The memo key of a scalar operand.
fn sc_key(s: Sc) -> u64 {
    match s {
        Sc::E(i) => i as u64,
        Sc::C(x) => x.to_bits(),
    }
}

impl<'p> Interp<'p> {
    pub fn new(prog: &'p Program, source: &'p str, file: &str) -> Self {
        let mut funcs = HashMap::new();
        if let Some(fb) = &prog.functions {
            for f in &fb.functions {
                if f.body.is_some() || !funcs.contains_key(f.name.name.as_str()) {
                    funcs.insert(f.name.name.as_str(), f);
                }
            }
        }
        Interp {
            prog,
            source,
            file: file.into(),
            funcs,
            exprs: Vec::new(),
            const_cache: HashMap::new(),
            model: None,
            scopes: vec![HashMap::new()],
            rng: None,
            block: BlockKind::Data,
            depth: 0,
            jacobians: Vec::new(),
            target_terms: Vec::new(),
            target_sinks: Vec::new(),
            scalar_memo: HashMap::new(),
        }
    }

    pub fn origin(&self, span: Span) -> String {
        let (l, c) = crate::diagnostic::line_col(self.source, span.start);
        format!("{}:{l}:{c}", self.file)
    }

    // ------------------------------------------------------------ scopes

    pub fn lookup(&self, name: &str) -> Option<&Val> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    pub(crate) fn lookup_mut(&mut self, name: &str) -> Option<&mut Val> {
        self.scopes.iter_mut().rev().find_map(|s| s.get_mut(name))
    }

    pub fn define(&mut self, name: &str, v: Val) {
        self.scopes.last_mut().expect("a scope").insert(name.to_string(), v);
    }

    // ------------------------------------------------------- graph values

    pub fn push(&mut self, e: Expr) -> u32 {
        self.exprs.push(e);
        (self.exprs.len() - 1) as u32
    }

    pub fn sc(&mut self, e: Expr) -> Sc {
        Sc::E(self.push(e))
    }

    pub fn sc_expr(&mut self, s: Sc) -> Expr {
        match s {
            Sc::C(v) => Expr::scalar(v),
            Sc::E(i) => self.exprs[i as usize].clone(),
        }
    }

    fn shape_of(kind: TKind) -> Shape {
        match kind {
            TKind::Vector(n) | TKind::RowVector(n) => Shape::Vector(n),
            TKind::Matrix(r, c) => Shape::Matrix(r, c),
        }
    }

    pub fn tensor_expr(&mut self, t: &Tensor) -> Expr {
        let shape = Self::shape_of(t.kind);
        match &t.repr {
            Repr::Const(v) => {
                let key = Arc::as_ptr(v) as usize;
                if let Some((_, i)) = self.const_cache.get(&key) {
                    return self.exprs[*i as usize].clone();
                }
                let e = Expr::data(v.to_vec(), shape);
                let i = self.push(e.clone());
                self.const_cache.insert(key, (v.clone(), i));
                e
            }
            Repr::Elems(es) => {
                if let Some(c) = t.constants() {
                    return Expr::data(c, shape);
                }
                let parts: Vec<Expr> = es.iter().map(|&s| self.sc_expr(s)).collect();
                let v = exmc_model::concat(&parts);
                if matches!(shape, Shape::Matrix(..)) {
                    v.reshape(shape)
                } else {
                    v
                }
            }
            Repr::Whole(i) => self.exprs[*i as usize].clone(),
        }
    }

    /// Any value as one graph expression (arrays flattened row-major; an
    /// array of equal-length vectors becomes a matrix with one row each).
    pub fn val_expr(&mut self, v: &Val, span: Span) -> R<Expr> {
        Ok(match v {
            Val::Int(i) => Expr::scalar(*i as f64),
            Val::Real(s) => self.sc_expr(*s),
            Val::Tensor(t) => self.tensor_expr(t),
            Val::Array(items) => {
                if v.is_constant() {
                    let flat = flatten_constants(v).ok_or_else(|| LowerError::new(span, "cannot use this array here"))?;
                    let shape = match v.dims().as_slice() {
                        [n] => Shape::Vector(*n),
                        [r, c] => Shape::Matrix(*r, *c),
                        _ => Shape::Vector(flat.len()),
                    };
                    return Ok(Expr::data(flat, shape));
                }
                let parts: Vec<Expr> = items.iter().map(|x| self.val_expr(x, span)).collect::<R<_>>()?;
                let cat = exmc_model::concat(&parts);
                match v.dims().as_slice() {
                    [r, c] => cat.reshape(Shape::Matrix(*r, *c)),
                    _ => cat,
                }
            }
        })
    }

    /// Wraps a graph expression as a value shaped like `kind` (or a scalar).
    pub fn wrap(&mut self, e: Expr, kind: Option<TKind>) -> Val {
        match kind {
            None => Val::Real(self.sc(e)),
            Some(k) => Val::Tensor(Tensor { kind: k, repr: Repr::Whole(self.push(e)) }),
        }
    }

    /// Element `i` of a tensor.
    pub fn elem(&mut self, t: &Tensor, i: usize) -> Sc {
        match &t.repr {
            Repr::Const(v) => Sc::C(v[i]),
            Repr::Elems(e) => e[i],
            Repr::Whole(w) => {
                let key = (0, *w, i as u64, 0);
                if let Some(&k) = self.scalar_memo.get(&key) {
                    return Sc::E(k);
                }
                let e = self.exprs[*w as usize].at(i);
                let k = self.push(e);
                self.scalar_memo.insert(key, k);
                Sc::E(k)
            }
        }
    }

    /// The elements of a tensor, one scalar each.
    pub fn elems(&mut self, t: &Tensor) -> Vec<Sc> {
        match &t.repr {
            Repr::Const(v) => v.iter().map(|&x| Sc::C(x)).collect(),
            Repr::Elems(e) => e.to_vec(),
            Repr::Whole(_) => (0..t.len()).map(|i| self.elem(t, i)).collect(),
        }
    }

    /// A tensor of the elements `idx` (flattened positions).
    pub fn gather(&mut self, t: &Tensor, idx: &[usize], kind: TKind) -> Tensor {
        let repr = match &t.repr {
            Repr::Const(v) => Repr::Const(Arc::new(idx.iter().map(|&i| v[i]).collect())),
            Repr::Elems(e) => Repr::Elems(Arc::new(idx.iter().map(|&i| e[i]).collect())),
            Repr::Whole(w) => {
                let e = self.exprs[*w as usize].gather(idx);
                let e = match kind {
                    TKind::Matrix(r, c) => e.reshape(Shape::Matrix(r, c)),
                    _ => e,
                };
                Repr::Whole(self.push(e))
            }
        };
        Tensor { kind, repr }
    }

    // ------------------------------------------------------- conversions

    pub fn as_int(&self, v: &Val, span: Span, what: &str) -> R<i64> {
        match v {
            Val::Int(i) => Ok(*i),
            _ => Err(LowerError::new(span, format!("{what} must be an integer, found {}", v.type_name()))),
        }
    }

    pub fn as_real_const(&self, v: &Val, span: Span, what: &str) -> R<f64> {
        match v {
            Val::Int(i) => Ok(*i as f64),
            Val::Real(Sc::C(x)) => Ok(*x),
            Val::Real(Sc::E(_)) => Err(LowerError::new(
                span,
                format!("{what} depends on parameters; exmc needs it to be known from the data (not supported yet)"),
            )),
            _ => Err(LowerError::new(span, format!("{what} must be a scalar, found {}", v.type_name()))),
        }
    }

    /// A scalar value (int promoted).
    pub fn as_sc(&self, v: &Val, span: Span, what: &str) -> R<Sc> {
        match v {
            Val::Int(i) => Ok(Sc::C(*i as f64)),
            Val::Real(s) => Ok(*s),
            _ => Err(LowerError::new(span, format!("{what} must be a scalar, found {}", v.type_name()))),
        }
    }

    /// Integer values of an int or int array (for data-only uses).
    pub fn as_ints(&self, v: &Val, span: Span) -> R<Vec<i64>> {
        match v {
            Val::Int(i) => Ok(vec![*i]),
            Val::Array(a) => {
                let mut out = Vec::new();
                for x in a {
                    out.extend(self.as_ints(x, span)?);
                }
                Ok(out)
            }
            _ => Err(LowerError::new(span, format!("expected integers, found {}", v.type_name()))),
        }
    }

    /// A condition that must be known without parameters.
    pub fn truth(&self, v: &Val, span: Span) -> R<bool> {
        match v {
            Val::Int(i) => Ok(*i != 0),
            Val::Real(Sc::C(x)) => Ok(*x != 0.0),
            Val::Real(Sc::E(_)) => Err(LowerError::new(
                span,
                "this condition depends on parameters; loops on parameter values are not supported yet (an `if` on parameters is)",
            )),
            _ => Err(LowerError::new(span, format!("a condition must be a scalar, found {}", v.type_name()))),
        }
    }

    /// `c ? a : b`. A condition known from the data picks its branch; a
    /// condition that depends on parameters (a comparison of parameters,
    /// `step`) becomes a graph select: both branches are computed and only
    /// the chosen one receives gradient, which is exact almost everywhere.
    pub fn select(&mut self, c: &Val, a: Val, b: Val, span: Span) -> R<Val> {
        if !matches!(c, Val::Real(Sc::E(_))) {
            return Ok(if self.truth(c, span)? { a } else { b });
        }
        match (&a, &b) {
            (Val::Array(xs), Val::Array(ys)) => {
                if xs.len() != ys.len() {
                    return Err(LowerError::new(span, format!("the branches' array sizes differ: {} and {}", xs.len(), ys.len())));
                }
                return xs.iter().zip(ys).map(|(x, y)| self.select(c, x.clone(), y.clone(), span)).collect::<R<_>>().map(Val::Array);
            }
            (Val::Array(_), _) | (_, Val::Array(_)) => {
                return Err(LowerError::new(span, format!("the branches have different types: {} and {}", a.type_name(), b.type_name())))
            }
            _ => {}
        }
        let kind = match (&a, &b) {
            (Val::Tensor(x), Val::Tensor(y)) if x.kind == y.kind => Some(x.kind),
            (Val::Tensor(_), _) | (_, Val::Tensor(_)) => {
                return Err(LowerError::new(span, format!("the branches have different types: {} and {}", a.type_name(), b.type_name())))
            }
            _ => None,
        };
        let ec = self.val_expr(c, span)?;
        let ea = self.val_expr(&a, span)?;
        let eb = self.val_expr(&b, span)?;
        let e = exmc_model::select(&ec, &ea, &eb);
        if let Some(msg) = e.error() {
            return Err(LowerError::new(span, msg.to_string()));
        }
        Ok(self.wrap(e, kind))
    }

    // ------------------------------------------------------- arithmetic

    /// Elementwise unary function over any value.
    pub fn unary(&mut self, f: UnaryFn, v: &Val) -> Val {
        match v {
            Val::Int(i) => Val::real(apply_unary(f, *i as f64)),
            Val::Real(Sc::C(x)) => Val::real(apply_unary(f, *x)),
            Val::Real(Sc::E(i)) => {
                let key = (1, *i, f as u64, 0);
                if let Some(&k) = self.scalar_memo.get(&key) {
                    return Val::Real(Sc::E(k));
                }
                let e = self.exprs[*i as usize].unary(f);
                let k = self.push(e);
                self.scalar_memo.insert(key, k);
                Val::Real(Sc::E(k))
            }
            Val::Tensor(t) => match t.constants() {
                Some(c) => Val::Tensor(Tensor::constant(t.kind, c.into_iter().map(|x| apply_unary(f, x)).collect())),
                None => {
                    let e = self.tensor_expr(t).unary(f);
                    self.wrap(e, Some(t.kind))
                }
            },
            Val::Array(a) => Val::Array(a.iter().map(|x| self.unary(f, x)).collect()),
        }
    }

    /// Elementwise binary function with scalar broadcasting.
    pub fn binary(&mut self, f: BinaryFn, a: &Val, b: &Val, span: Span) -> R<Val> {
        match (a, b) {
            (Val::Array(xs), Val::Array(ys)) => {
                if xs.len() != ys.len() {
                    return Err(LowerError::new(span, format!("array sizes differ: {} and {}", xs.len(), ys.len())));
                }
                return xs.iter().zip(ys).map(|(x, y)| self.binary(f, x, y, span)).collect::<R<_>>().map(Val::Array);
            }
            (Val::Array(xs), y) if !matches!(y, Val::Tensor(_)) => {
                return xs.iter().map(|x| self.binary(f, x, y, span)).collect::<R<_>>().map(Val::Array)
            }
            (x, Val::Array(ys)) if !matches!(x, Val::Tensor(_)) => {
                return ys.iter().map(|y| self.binary(f, x, y, span)).collect::<R<_>>().map(Val::Array)
            }
            _ => {}
        }
        let kind = match (a, b) {
            (Val::Tensor(x), Val::Tensor(y)) => {
                if x.len() != y.len() {
                    return Err(LowerError::new(
                        span,
                        format!("sizes differ: {} of {} and {} of {}", x.kind.name(), x.len(), y.kind.name(), y.len()),
                    ));
                }
                Some(x.kind)
            }
            (Val::Tensor(x), _) | (_, Val::Tensor(x)) => Some(x.kind),
            (Val::Array(_), _) | (_, Val::Array(_)) => {
                return Err(LowerError::new(span, format!("cannot combine {} and {}", a.type_name(), b.type_name())))
            }
            _ => None,
        };
        // Constant folding in f64 (also the whole of concrete mode).
        if let (Some(xa), Some(xb)) = (const_elems(a), const_elems(b)) {
            let n = xa.len().max(xb.len());
            let out: Vec<f64> = (0..n)
                .map(|i| apply_binary(f, xa[if xa.len() == 1 { 0 } else { i }], xb[if xb.len() == 1 { 0 } else { i }]))
                .collect();
            return Ok(match kind {
                None => Val::real(out[0]),
                Some(k) => Val::Tensor(Tensor::constant(k, out)),
            });
        }
        // A function of two scalars: memoised (see `scalar_memo`).
        let scalar = |v: &Val| match v {
            Val::Int(i) => Some(Sc::C(*i as f64)),
            Val::Real(s) => Some(*s),
            _ => None,
        };
        let key = match (scalar(a), scalar(b)) {
            (Some(x), Some(y)) => Some((2 + (f as u8), matches!(x, Sc::E(_)) as u32 | (matches!(y, Sc::E(_)) as u32) << 1, sc_key(x), sc_key(y))),
            _ => None,
        };
        if let Some(k) = key.and_then(|k| self.scalar_memo.get(&k)) {
            return Ok(Val::Real(Sc::E(*k)));
        }
        let ea = self.val_expr(a, span)?;
        let eb = self.val_expr(b, span)?;
        let e = ea.binary(f, eb);
        if let Some(msg) = e.error() {
            return Err(LowerError::new(span, msg.to_string()));
        }
        let out = self.wrap(e, kind);
        if let (Some(key), Val::Real(Sc::E(k))) = (key, &out) {
            self.scalar_memo.insert(key, *k);
        }
        Ok(out)
    }

    /// Sum of all elements as a scalar.
    pub fn sum(&mut self, v: &Val, span: Span) -> R<Val> {
        if let Some(c) = const_elems(v) {
            return Ok(Val::real(c.iter().sum()));
        }
        if let (Val::Int(_), _) | (Val::Array(_), true) = (v, is_int_valued(v)) {
            return Ok(Val::Int(self.as_ints(v, span)?.iter().sum()));
        }
        let e = self.val_expr(v, span)?.sum();
        Ok(Val::Real(self.sc(e)))
    }
}

/// All elements as constants (row-major), if the value is constant.
pub(crate) fn const_elems(v: &Val) -> Option<Vec<f64>> {
    match v {
        Val::Int(i) => Some(vec![*i as f64]),
        Val::Real(Sc::C(x)) => Some(vec![*x]),
        Val::Real(Sc::E(_)) => None,
        Val::Tensor(t) => t.constants(),
        Val::Array(_) => flatten_constants(v),
    }
}

pub(crate) fn flatten_constants(v: &Val) -> Option<Vec<f64>> {
    match v {
        Val::Array(a) => {
            let mut out = Vec::new();
            for x in a {
                out.extend(const_elems(x)?);
            }
            Some(out)
        }
        _ => const_elems(v),
    }
}

pub(crate) fn is_int_valued(v: &Val) -> bool {
    match v {
        Val::Int(_) => true,
        Val::Array(a) => a.iter().all(is_int_valued) && !a.is_empty(),
        _ => false,
    }
}
