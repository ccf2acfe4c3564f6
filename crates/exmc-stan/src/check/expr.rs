//! Typing of expressions and indexing.

use super::suggest::did_you_mean;
use super::types::{Base, Type};
use super::{ops, Checker};
use crate::ast::{BinOp, Expr, ExprKind, FunSuffix, Index, IndexKind};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::token::Span;

/// Whether one index keeps its axis (`x[2:3]`, `x[idxs]`, `x[:]`) or drops it (`x[i]`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Drop,
    Keep,
}

impl Checker {
    /// Type of `e`, recorded in the side table; `None` after an error
    /// (already reported) so callers do not cascade.
    pub fn expr(&mut self, e: &Expr) -> Option<Type> {
        let t = self.expr_inner(e)?;
        self.out.expr_types.insert(e.span, t);
        Some(t)
    }

    fn expr_inner(&mut self, e: &Expr) -> Option<Type> {
        match &e.kind {
            ExprKind::IntLit(_) => Some(Type::INT),
            ExprKind::RealLit(_) => Some(Type::REAL),
            ExprKind::Var(name) => self.var(name, e.span),
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Unary { op, expr } => {
                let t = self.expr(expr)?;
                self.report(e.span, ops::unary(*op, t))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                let (l, r) = (l?, r?);
                if *op == BinOp::Div && l.is_int() && r.is_int() {
                    self.diags.push(
                        Diagnostic::warning(e.span, "integer division: the result is rounded towards zero")
                            .with_help("use '%/%' if rounding is intended, or multiply by 1.0 for real division"),
                    );
                }
                if *op == BinOp::Div && l.is_scalar() && r.dims == 0 && !r.base.is_scalar() && self.opts.reject_unsupported {
                    // valid Stan (elementwise); the lowering implements './' only
                    self.unsupported(e.span, "'/' of a scalar by a vector or matrix (write './' for the elementwise quotient)");
                    return ops::binary(*op, l, r).ok();
                }
                self.report(e.span, ops::binary(*op, l, r))
            }
            ExprKind::Ternary { cond, then, els } => {
                let c = self.expr(cond);
                let a = self.expr(then);
                let b = self.expr(els);
                if let Some(c) = c {
                    if !c.is_int() {
                        self.err(cond.span, format!("the condition of '?:' must be an int, found '{c}'"));
                    }
                }
                let (a, b) = (a?, b?);
                match Type::join(a, b) {
                    Some(t) => Some(t),
                    None => {
                        self.err(e.span, format!("the branches of '?:' have incompatible types '{a}' and '{b}'"));
                        None
                    }
                }
            }
            ExprKind::Transpose(inner) => {
                let t = self.expr(inner)?;
                self.report(e.span, ops::transpose(t))
            }
            ExprKind::Index { expr, indices } => {
                let t = self.expr(expr);
                let axes = self.indices(indices);
                self.index_type(t?, &axes?, e.span)
            }
            ExprKind::Call { name, args, .. } if library::higher_order(&name.name).is_some() && !self.user_fns.contains_key(&name.name) => {
                let kind = library::higher_order(&name.name)?;
                self.higher_order_call(e.span, name, args, kind)
            }
            ExprKind::Call { name, .. }
                if !self.user_fns.contains_key(&name.name)
                    && library::lookup(&name.name).is_none()
                    && library::unknown::unsupported_feature(&name.name).is_some() =>
            {
                let what = library::unknown::unsupported_feature(&name.name)?;
                self.unsupported(e.span, &format!("'{}' ({what})", name.name));
                None
            }
            ExprKind::Call { name, suffix, args } => {
                if suffix.is_conditional() && args.len() > 1 {
                    self.err(
                        e.span,
                        format!("'{}' needs a '|' between its first and second arguments: {}(y | ...)", name.name, name.name),
                    );
                }
                let tys: Vec<Option<Type>> = args.iter().map(|a| self.expr(a)).collect();
                let tys: Option<Vec<Type>> = tys.into_iter().collect();
                let t = self.call_value(e.span, name, *suffix, &tys?, false);
                self.data_only_args(e.span, &name.name, &args.iter().collect::<Vec<_>>());
                // `to_int` truncates, which has no derivative: data only.
                if name.name == "to_int" && !self.user_fns.contains_key("to_int") {
                    if let Some(v) = args.first().and_then(|a| self.first_non_data(a)) {
                        self.err(e.span, format!("the argument of 'to_int' must be data, but '{v}' is not"));
                    }
                }
                t
            }
            ExprKind::CondCall { name, suffix, arg, args } => {
                if !suffix.is_conditional() && !name.name.ends_with("_cdf") {
                    self.err(e.span, format!("'|' is only used with functions ending in _lpdf, _lpmf, _lupdf, _lupmf, _lcdf or _lccdf, not '{}'", name.name));
                }
                let mut tys = vec![self.expr(arg)];
                tys.extend(args.iter().map(|a| self.expr(a)));
                let tys: Option<Vec<Type>> = tys.into_iter().collect();
                let t = self.call_value(e.span, name, *suffix, &tys?, true);
                let all: Vec<&Expr> = std::iter::once(&**arg).chain(args.iter()).collect();
                self.data_only_args(e.span, &name.name, &all);
                t
            }
            ExprKind::ArrayLit(items) => {
                let tys: Vec<Option<Type>> = items.iter().map(|a| self.expr(a)).collect();
                let mut acc: Option<Type> = None;
                for t in tys {
                    let t = t?;
                    acc = match acc {
                        None => Some(t),
                        Some(a) => match Type::join(a, t) {
                            Some(j) => Some(j),
                            None => {
                                self.err(e.span, format!("array expression elements have incompatible types '{a}' and '{t}'"));
                                return None;
                            }
                        },
                    };
                }
                acc.map(|t| t.array(1))
            }
            ExprKind::RowVectorLit(items) => {
                let tys: Vec<Option<Type>> = items.iter().map(|a| self.expr(a)).collect();
                let tys: Vec<Type> = tys.into_iter().collect::<Option<_>>()?;
                if tys.iter().all(|t| t.is_scalar()) {
                    Some(Type::ROW_VECTOR)
                } else if tys.iter().all(|t| *t == Type::ROW_VECTOR) {
                    Some(Type::MATRIX)
                } else {
                    let bad = tys.iter().find(|t| !t.is_scalar() && **t != Type::ROW_VECTOR).copied().unwrap_or(Type::REAL);
                    self.err(e.span, format!("row vector expression '[...]' elements must all be scalars or all row vectors, found '{bad}'"));
                    None
                }
            }
            ExprKind::ImagLit(_) => {
                self.unsupported(e.span, "complex numbers (imaginary literal)");
                None
            }
            ExprKind::TupleLit(items) => {
                let tys: Vec<Option<Type>> = items.iter().map(|a| self.expr(a)).collect();
                if tys.iter().all(|t| t.is_some()) {
                    self.unsupported(e.span, "tuple expressions");
                }
                None
            }
            ExprKind::TupleProj { expr, index } => {
                // An opaque (tuple-typed) operand types as unknown, silently.
                let t = self.expr(expr)?;
                self.err(e.span, format!("'.{index}' selects a tuple element, but this is of type '{t}', not a tuple"));
                None
            }
            ExprKind::Target => {
                if !self.target_allowed() {
                    self.err(e.span, "'target()' is only allowed in the model block and in functions ending in _lp");
                }
                Some(Type::REAL)
            }
        }
    }

    /// Whether `target` may be read or incremented here.
    pub fn target_allowed(&self) -> bool {
        match &self.fun {
            Some(f) => f.suffix == FunSuffix::Lp,
            None => self.block == Some(crate::ast::BlockKind::Model),
        }
    }

    /// Whether `target +=` and `~` may appear here: where `target` may be
    /// read, and also in transformed parameters (Stan 2.36 allows them there,
    /// as it always allowed calls of `_lp` functions).
    pub fn target_increment_allowed(&self) -> bool {
        self.target_allowed() || (self.fun.is_none() && self.block == Some(crate::ast::BlockKind::TransformedParameters))
    }

    fn report(&mut self, span: Span, r: Result<Type, String>) -> Option<Type> {
        match r {
            Ok(t) => Some(t),
            Err(m) => {
                self.err(span, m);
                None
            }
        }
    }

    fn var(&mut self, name: &str, span: Span) -> Option<Type> {
        if let Some(l) = self.lookup(name) {
            if self.is_opaque(l.span) {
                return None;
            }
            self.out.vars.insert(span, l.kind);
            return Some(l.ty);
        }
        if self.user_fns.contains_key(name) || library::lookup(name).is_some() {
            self.err(span, format!("'{name}' is a function, not a variable; call it as '{name}(...)'"));
            return None;
        }
        if self.declaring.as_deref() == Some(name) {
            let d = Diagnostic::error(span, format!("not supported: reading '{name}' in its own declaration, before it has a value"))
                .with_note("stanc3 accepts this with a warning (the value read is undefined); exmc refuses it");
            self.error(d);
            return None;
        }
        let names = self.names_in_scope();
        let mut d = Diagnostic::error(span, format!("unknown variable '{name}'"));
        if let Some(s) = did_you_mean(name, names.iter().map(|s| s.as_str())) {
            d.message = format!("unknown variable '{name}' (did you mean '{s}'?)");
        }
        self.error(d);
        None
    }

    /// Check the index expressions; for each, whether it keeps its axis.
    fn indices(&mut self, indices: &[Index]) -> Option<Vec<Axis>> {
        let mut out = Vec::new();
        let mut ok = true;
        for ix in indices {
            let axis = match &ix.kind {
                IndexKind::All => Some(Axis::Keep),
                IndexKind::Single(e) => match self.expr(e) {
                    Some(Type::INT) => Some(Axis::Drop),
                    Some(t) if t == Type::new(Base::Int, 1) => Some(Axis::Keep),
                    Some(t) => {
                        self.err(e.span, format!("an index must be an int or an array of ints, found '{t}'"));
                        None
                    }
                    None => None,
                },
                IndexKind::From(a) | IndexKind::To(a) => self.int_index(a).then_some(Axis::Keep),
                IndexKind::Between(a, b) => {
                    let x = self.int_index(a);
                    let y = self.int_index(b);
                    (x && y).then_some(Axis::Keep)
                }
            };
            match axis {
                Some(a) => out.push(a),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn int_index(&mut self, e: &Expr) -> bool {
        match self.expr(e) {
            Some(Type::INT) => true,
            Some(t) => {
                self.err(e.span, format!("a range bound must be an int, found '{t}'"));
                false
            }
            None => false,
        }
    }

    /// Type of `t[axes]`: array dimensions are indexed first, then the
    /// vector/matrix dimensions.
    fn index_type(&mut self, t: Type, axes: &[Axis], span: Span) -> Option<Type> {
        let inner = match t.base {
            Base::Int | Base::Real => 0,
            Base::Vector | Base::RowVector => 1,
            Base::Matrix => 2,
        };
        if axes.len() > t.dims + inner {
            self.err(span, format!("too many indexes ({}) for a value of type '{t}'", axes.len()));
            return None;
        }
        let n_arr = axes.len().min(t.dims);
        let kept_arr = axes[..n_arr].iter().filter(|a| **a == Axis::Keep).count();
        let dims = kept_arr + (t.dims - n_arr);
        let rest = &axes[n_arr..];
        let base = match (t.base, rest) {
            (b, []) => b,
            (Base::Vector | Base::RowVector, [Axis::Drop]) => Base::Real,
            (b @ (Base::Vector | Base::RowVector), [Axis::Keep]) => b,
            (Base::Matrix, [Axis::Drop]) => Base::RowVector,
            (Base::Matrix, [Axis::Keep]) => Base::Matrix,
            (Base::Matrix, [Axis::Drop, Axis::Drop]) => Base::Real,
            (Base::Matrix, [Axis::Drop, Axis::Keep]) => Base::RowVector,
            (Base::Matrix, [Axis::Keep, Axis::Drop]) => Base::Vector,
            (Base::Matrix, [Axis::Keep, Axis::Keep]) => Base::Matrix,
            _ => {
                self.err(span, format!("too many indexes ({}) for a value of type '{t}'", axes.len()));
                return None;
            }
        };
        Some(Type::new(base, dims))
    }

    /// Type of an lvalue `x[idx]...` given the variable's type.
    pub fn lvalue_type(&mut self, t: Type, groups: &[Vec<Index>], span: Span) -> Option<Type> {
        let mut t = t;
        for g in groups {
            let axes = self.indices(g)?;
            t = self.index_type(t, &axes, span)?;
        }
        Some(t)
    }
}
