//! Expressions, indexing, assignment and statements of the interpreter.

use super::interp::{const_elems, Flow, Interp, Ix, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::ast::*;
use crate::token::Span;
use exmc_model::{BinaryFn, UnaryFn};
use std::collections::HashMap;
use std::sync::Arc;

const MAX_CALL_DEPTH: usize = 200;

impl<'p> Interp<'p> {
    // -------------------------------------------------------- expressions

    pub fn eval(&mut self, e: &Expr) -> R<Val> {
        let span = e.span;
        match &e.kind {
            ExprKind::IntLit(i) => Ok(Val::Int(*i)),
            ExprKind::RealLit(x) => Ok(Val::real(*x)),
            ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Var(name) => match self.lookup(name) {
                Some(v) => Ok(v.clone()),
                None => match super::builtins::constant(name) {
                    Some(v) => Ok(v),
                    None => Err(LowerError::new(span, format!("unknown variable '{name}'"))),
                },
            },
            ExprKind::Unary { op, expr } => {
                let v = self.eval(expr)?;
                match op {
                    UnaryOp::Plus => Ok(v),
                    UnaryOp::Neg => match v {
                        Val::Int(i) => Ok(Val::Int(-i)),
                        v => Ok(self.unary(UnaryFn::Neg, &v)),
                    },
                    UnaryOp::Not => {
                        if let Val::Real(Sc::E(_)) = v {
                            return Ok(self.unary(UnaryFn::Not, &v));
                        }
                        let t = self.truth(&v, span)?;
                        Ok(Val::Int(!t as i64))
                    }
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                // Short-circuit logic on data.
                if matches!(op, BinOp::And | BinOp::Or) {
                    let a = self.eval(lhs)?;
                    if let Val::Real(Sc::E(_)) = a {
                        // A parameter-dependent operand: both sides, as a graph value.
                        let b = self.eval(rhs)?;
                        let f = if *op == BinOp::And { BinaryFn::And } else { BinaryFn::Or };
                        return self.binary(f, &a, &b, span);
                    }
                    let ta = self.truth(&a, lhs.span)?;
                    if (*op == BinOp::And && !ta) || (*op == BinOp::Or && ta) {
                        return Ok(Val::Int(ta as i64));
                    }
                    let b = self.eval(rhs)?;
                    if let Val::Real(Sc::E(_)) = b {
                        let nb = self.unary(UnaryFn::Not, &b);
                        return Ok(self.unary(UnaryFn::Not, &nb));
                    }
                    return Ok(Val::Int(self.truth(&b, rhs.span)? as i64));
                }
                let a = self.eval(lhs)?;
                let b = self.eval(rhs)?;
                self.binop(*op, &a, &b, span)
            }
            ExprKind::Ternary { cond, then, els } => {
                let c = self.eval(cond)?;
                if let Val::Real(Sc::E(_)) = c {
                    // A parameter-dependent condition: a select of both branches.
                    let (a, b) = (self.eval(then)?, self.eval(els)?);
                    let (a, b) = promote_pair(a, b);
                    return self.select(&c, a, b, span);
                }
                if self.truth(&c, cond.span)? {
                    self.eval(then)
                } else {
                    self.eval(els)
                }
            }
            ExprKind::Transpose(inner) => {
                let v = self.eval(inner)?;
                self.transpose(&v, span)
            }
            ExprKind::Index { expr, indices } => {
                if let ExprKind::Var(name) = &expr.kind {
                    // Index a variable in place: `y[t]` in a loop must not copy
                    // the whole of `y` (O(N) per read, O(N²) per loop).
                    if let Some(dims) = self.lookup(name).map(Val::dims) {
                        let ix = self.eval_indices_dims(&dims, indices)?;
                        let v = std::mem::replace(self.lookup_mut(name).expect("looked up above"), Val::Int(0));
                        let r = self.index(&v, &ix, span);
                        *self.lookup_mut(name).expect("looked up above") = v;
                        return r;
                    }
                }
                let v = self.eval(expr)?;
                let ix = self.eval_indices(&v, indices)?;
                self.index(&v, &ix, span)
            }
            ExprKind::Call { name, suffix: _, args } if super::parallel::supported(&name.name) => self.parallel_call(&name.name, args, span),
            ExprKind::Call { name, suffix: _, args } if super::ode::supported(&name.name) => self.ode_call(&name.name, args, span),
            ExprKind::Call { name, suffix: _, args } => {
                let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
                self.call(&name.name, vals, span, args)
            }
            ExprKind::CondCall { name, suffix: _, arg, args } => {
                let mut vals = vec![self.eval(arg)?];
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let mut all = vec![(**arg).clone()];
                all.extend(args.iter().cloned());
                self.call(&name.name, vals, span, &all)
            }
            ExprKind::ArrayLit(items) => {
                let vals: Vec<Val> = items.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
                Ok(Val::Array(promote_array(vals)))
            }
            ExprKind::RowVectorLit(items) => {
                let vals: Vec<Val> = items.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
                if vals.iter().all(|v| matches!(v, Val::Tensor(t) if matches!(t.kind, TKind::RowVector(_)))) && !vals.is_empty() {
                    // [[..], [..]]: a matrix from row vectors.
                    let c = vals[0].num_elements();
                    let mut es = Vec::new();
                    for v in &vals {
                        if let Val::Tensor(t) = v {
                            if t.len() != c {
                                return Err(LowerError::new(span, "matrix rows have different lengths"));
                            }
                            es.extend(self.elems(t));
                        }
                    }
                    return Ok(Val::Tensor(Tensor { kind: TKind::Matrix(vals.len(), c), repr: Repr::Elems(Arc::new(es)) }));
                }
                let mut es = Vec::new();
                for v in &vals {
                    es.push(self.as_sc(v, span, "a row-vector element")?);
                }
                Ok(Val::Tensor(Tensor { kind: TKind::RowVector(es.len()), repr: Repr::Elems(Arc::new(es)) }))
            }
            ExprKind::Target => self.target_value(span),
            // The checker refuses these first ("not supported: ...").
            ExprKind::ImagLit(_) | ExprKind::TupleLit(_) | ExprKind::TupleProj { .. } => {
                Err(LowerError::new(span, "complex numbers and tuples are not supported by exmc"))
            }
        }
    }

    pub fn binop(&mut self, op: BinOp, a: &Val, b: &Val, span: Span) -> R<Val> {
        use BinOp::*;
        if let (Val::Int(x), Val::Int(y)) = (a, b) {
            let (x, y) = (*x, *y);
            let int = |v: i64| Ok(Val::Int(v));
            return match op {
                Add => int(x.wrapping_add(y)),
                Sub => int(x.wrapping_sub(y)),
                Mul => int(x.wrapping_mul(y)),
                Div | IntDiv | Mod if y == 0 => Err(LowerError::new(span, "integer division by zero")),
                Div | IntDiv => int(x / y),
                Mod => int(x % y),
                Eq => int((x == y) as i64),
                Ne => int((x != y) as i64),
                Lt => int((x < y) as i64),
                Le => int((x <= y) as i64),
                Gt => int((x > y) as i64),
                Ge => int((x >= y) as i64),
                Pow | EltPow => Ok(Val::real((x as f64).powf(y as f64))),
                EltMul => int(x * y),
                EltDiv => Ok(Val::real(x as f64 / y as f64)),
                And | Or | LeftDiv => Err(LowerError::new(span, format!("'{}' on integers", op.as_str()))),
            };
        }
        match op {
            Add => self.binary(BinaryFn::Add, a, b, span),
            Sub => self.binary(BinaryFn::Sub, a, b, span),
            EltMul => self.binary(BinaryFn::Mul, a, b, span),
            EltDiv => self.binary(BinaryFn::Div, a, b, span),
            Pow | EltPow => self.binary(BinaryFn::Pow, a, b, span),
            Mul => self.multiply(a, b, span),
            Div => match b {
                Val::Int(_) | Val::Real(_) => self.binary(BinaryFn::Div, a, b, span),
                _ => self.mdivide(false, false, b, a, "mdivide_right ('/')", span),
            },
            Mod | IntDiv => Err(LowerError::new(span, format!("'{}' needs integers", op.as_str()))),
            LeftDiv => self.mdivide(true, false, a, b, "mdivide_left ('\\')", span),
            Eq | Ne | Lt | Le | Gt | Ge => {
                if matches!(a, Val::Real(Sc::E(_))) || matches!(b, Val::Real(Sc::E(_))) {
                    // A comparison of parameters: a 0/1 graph value (no gradient),
                    // usable by `?:`, `if_else` and `step`-like arithmetic.
                    let f = match op {
                        Eq => BinaryFn::Eq,
                        Ne => BinaryFn::Ne,
                        Lt => BinaryFn::Lt,
                        Le => BinaryFn::Le,
                        Gt => BinaryFn::Gt,
                        _ => BinaryFn::Ge,
                    };
                    return self.binary(f, a, b, span);
                }
                let (x, y) = (self.as_real_const(a, span, "a compared value")?, self.as_real_const(b, span, "a compared value")?);
                let r = match op {
                    Eq => x == y,
                    Ne => x != y,
                    Lt => x < y,
                    Le => x <= y,
                    Gt => x > y,
                    _ => x >= y,
                };
                Ok(Val::Int(r as i64))
            }
            And | Or => unreachable!("short-circuited"),
        }
    }

    /// `*`: scalar scaling, matrix products, dot and outer products.
    pub fn multiply(&mut self, a: &Val, b: &Val, span: Span) -> R<Val> {
        let (ta, tb) = match (a, b) {
            (Val::Tensor(x), Val::Tensor(y)) => (x.clone(), y.clone()),
            _ => return self.binary(BinaryFn::Mul, a, b, span),
        };
        match (ta.kind, tb.kind) {
            (TKind::RowVector(n), TKind::Vector(m)) => {
                if n != m {
                    return Err(LowerError::new(span, format!("row_vector[{n}] * vector[{m}]: sizes differ")));
                }
                self.call_builtin("dot_product", vec![a.clone(), b.clone()], span)
            }
            (TKind::Matrix(r, c), TKind::Vector(m)) => {
                if c != m {
                    return Err(LowerError::new(span, format!("matrix[{r},{c}] * vector[{m}]: sizes differ")));
                }
                if let (Some(mv), Some(vv)) = (ta.constants(), tb.constants()) {
                    let out = (0..r).map(|i| (0..c).map(|j| mv[i * c + j] * vv[j]).sum()).collect();
                    return Ok(Val::Tensor(Tensor::constant(TKind::Vector(r), out)));
                }
                let (em, ev) = (self.tensor_expr(&ta), self.tensor_expr(&tb));
                let e = exmc_model::matvec(&em, &ev);
                Ok(self.wrap(e, Some(TKind::Vector(r))))
            }
            (ka, kb) => {
                // General products through rows and columns (small matrices).
                let (r, k1) = match ka {
                    TKind::Matrix(r, c) => (r, c),
                    TKind::RowVector(n) => (1, n),
                    TKind::Vector(n) => (n, 1),
                };
                let (k2, c) = match kb {
                    TKind::Matrix(r, c) => (r, c),
                    TKind::RowVector(n) => (1, n),
                    TKind::Vector(n) => (n, 1),
                };
                if k1 != k2 {
                    return Err(LowerError::new(span, format!("{} * {}: inner sizes differ ({k1} and {k2})", ka.name(), kb.name())));
                }
                let kind = match (ka, kb) {
                    (TKind::Vector(_), TKind::RowVector(_)) => TKind::Matrix(r, c),
                    (TKind::RowVector(_), TKind::Matrix(..)) => TKind::RowVector(c),
                    _ => TKind::Matrix(r, c),
                };
                let ea = self.elems(&ta);
                let eb = self.elems(&tb);
                let mut out = Vec::with_capacity(r * c);
                for i in 0..r {
                    for j in 0..c {
                        let mut acc: Option<Sc> = None;
                        for k in 0..k1 {
                            let p = self.sc_mul(ea[i * k1 + k], eb[k * c + j]);
                            acc = Some(match acc {
                                None => p,
                                Some(s) => self.sc_add(s, p),
                            });
                        }
                        out.push(acc.unwrap_or(Sc::C(0.0)));
                    }
                }
                Ok(Val::Tensor(Tensor { kind, repr: Repr::Elems(Arc::new(out)) }))
            }
        }
    }

    pub fn sc_bin(&mut self, f: BinaryFn, a: Sc, b: Sc) -> Sc {
        match (a, b) {
            (Sc::C(x), Sc::C(y)) => Sc::C(exmc_model::apply_binary(f, x, y)),
            _ => {
                let (ea, eb) = (self.sc_expr(a), self.sc_expr(b));
                self.sc(ea.binary(f, eb))
            }
        }
    }
    pub fn sc_add(&mut self, a: Sc, b: Sc) -> Sc {
        self.sc_bin(BinaryFn::Add, a, b)
    }
    pub fn sc_mul(&mut self, a: Sc, b: Sc) -> Sc {
        self.sc_bin(BinaryFn::Mul, a, b)
    }

    pub fn transpose(&mut self, v: &Val, span: Span) -> R<Val> {
        match v {
            Val::Tensor(t) => Ok(Val::Tensor(match t.kind {
                TKind::Vector(n) => Tensor { kind: TKind::RowVector(n), repr: t.repr.clone() },
                TKind::RowVector(n) => Tensor { kind: TKind::Vector(n), repr: t.repr.clone() },
                TKind::Matrix(r, c) => {
                    let idx: Vec<usize> = (0..c).flat_map(|j| (0..r).map(move |i| i * c + j)).collect();
                    self.gather(t, &idx, TKind::Matrix(c, r))
                }
            })),
            _ => Err(LowerError::new(span, format!("cannot transpose {}", v.type_name()))),
        }
    }

    // ------------------------------------------------------------ indexing

    fn eval_indices(&mut self, v: &Val, indices: &[Index]) -> R<Vec<Ix>> {
        self.eval_indices_dims(&v.dims(), indices)
    }

    /// The indices of a value whose dimensions are `dims`.
    fn eval_indices_dims(&mut self, dims: &[usize], indices: &[Index]) -> R<Vec<Ix>> {
        let mut out = Vec::with_capacity(indices.len());
        for (k, ix) in indices.iter().enumerate() {
            let size = dims.get(k).copied().unwrap_or(0);
            out.push(self.eval_index(ix, size)?);
        }
        Ok(out)
    }

    fn eval_index(&mut self, ix: &Index, size: usize) -> R<Ix> {
        let span = ix.span;
        let pos = |i: i64| -> R<usize> {
            if i < 1 || i as usize > size {
                Err(LowerError::new(span, format!("index {i} out of range; expecting index to be between 1 and {size}")))
            } else {
                Ok(i as usize - 1)
            }
        };
        let range = |a: i64, b: i64| -> R<Vec<usize>> {
            if a > b {
                return Ok(vec![]);
            }
            (a..=b).map(pos).collect()
        };
        Ok(match &ix.kind {
            IndexKind::All => Ix::Many((0..size).collect()),
            IndexKind::Single(e) => {
                let v = self.eval(e)?;
                match &v {
                    Val::Int(i) => Ix::One(pos(*i)?),
                    Val::Array(_) => Ix::Many(self.as_ints(&v, span)?.into_iter().map(pos).collect::<R<_>>()?),
                    _ => return Err(LowerError::new(span, format!("an index must be an integer, found {}", v.type_name()))),
                }
            }
            IndexKind::From(a) => {
                let a = self.eval(a)?;
                let a = self.as_int(&a, span, "a range bound")?;
                Ix::Many(range(a, size as i64)?)
            }
            IndexKind::To(b) => {
                let b = self.eval(b)?;
                let b = self.as_int(&b, span, "a range bound")?;
                Ix::Many(range(1, b)?)
            }
            IndexKind::Between(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                Ix::Many(range(self.as_int(&a, span, "a range bound")?, self.as_int(&b, span, "a range bound")?)?)
            }
        })
    }

    pub(crate) fn index(&mut self, v: &Val, ix: &[Ix], span: Span) -> R<Val> {
        if ix.is_empty() {
            return Ok(v.clone());
        }
        match v {
            Val::Array(items) => match &ix[0] {
                Ix::One(i) => self.index(&items[*i], &ix[1..], span),
                Ix::Many(is) => {
                    let sub: Vec<Val> = is.iter().map(|&i| self.index(&items[i], &ix[1..], span)).collect::<R<_>>()?;
                    Ok(Val::Array(sub))
                }
            },
            Val::Tensor(t) => match (t.kind, ix) {
                (TKind::Vector(_) | TKind::RowVector(_), [one]) => match one {
                    Ix::One(i) => Ok(Val::Real(self.elem(t, *i))),
                    Ix::Many(is) => {
                        let kind = if matches!(t.kind, TKind::Vector(_)) { TKind::Vector(is.len()) } else { TKind::RowVector(is.len()) };
                        Ok(Val::Tensor(self.gather(t, is, kind)))
                    }
                },
                (TKind::Matrix(_, c), [rows]) => self.index(v, &[rows.clone(), Ix::Many((0..c).collect())], span).map(|r| match (rows, r) {
                    (Ix::One(_), Val::Tensor(t)) => Val::Tensor(Tensor { kind: TKind::RowVector(t.len()), repr: t.repr }),
                    (_, r) => r,
                }),
                (TKind::Matrix(_, c), [ri, ci]) => match (ri, ci) {
                    (Ix::One(i), Ix::One(j)) => Ok(Val::Real(self.elem(t, i * c + j))),
                    (Ix::One(i), Ix::Many(js)) => {
                        let idx: Vec<usize> = js.iter().map(|j| i * c + j).collect();
                        Ok(Val::Tensor(self.gather(t, &idx, TKind::RowVector(js.len()))))
                    }
                    (Ix::Many(is), Ix::One(j)) => {
                        let idx: Vec<usize> = is.iter().map(|i| i * c + j).collect();
                        Ok(Val::Tensor(self.gather(t, &idx, TKind::Vector(is.len()))))
                    }
                    (Ix::Many(is), Ix::Many(js)) => {
                        let idx: Vec<usize> = is.iter().flat_map(|i| js.iter().map(move |j| i * c + j)).collect();
                        Ok(Val::Tensor(self.gather(t, &idx, TKind::Matrix(is.len(), js.len()))))
                    }
                },
                _ => Err(LowerError::new(span, format!("too many indexes for {}", t.kind.name()))),
            },
            _ => Err(LowerError::new(span, format!("cannot index {}", v.type_name()))),
        }
    }

    /// Writes `value` at `ix` inside `target` (Stan's value semantics).
    /// `lhs op= value` on the variable's value `target` (moved out of its scope).
    fn assign_path(&mut self, target: &mut Val, lhs: &LValue, op: AssignOp, rhs_v: Val, span: Span) -> R<()> {
        let mut ix = Vec::new();
        let mut cur: Option<Val> = None;
        let groups = lhs.indices.len();
        for (k, group) in lhs.indices.iter().enumerate() {
            let g = self.eval_indices(cur.as_ref().unwrap_or(target), group)?;
            if k + 1 < groups {
                cur = Some(self.index(cur.as_ref().unwrap_or(target), &g, span)?);
            }
            ix.extend(g);
        }
        let value = match op.binop() {
            None => rhs_v,
            Some(b) => {
                let old = self.index(target, &ix, span)?;
                self.binop(b, &old, &rhs_v, span)?
            }
        };
        self.assign_into(target, &ix, value, span)
    }

    /// Whether the index expressions of `lhs` mention its own variable (a
    /// conservative test on the source text: an identifier with that name).
    fn indices_mention_base(&self, lhs: &LValue) -> bool {
        if lhs.indices.is_empty() {
            return false;
        }
        let Some(text) = self.source.get(lhs.base.span.end..lhs.span.end) else { return true };
        if text.is_empty() {
            return true;
        }
        let name = lhs.base.name.as_str();
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        text.match_indices(name).any(|(i, _)| {
            let before = text[..i].chars().next_back().is_none_or(|c| !ident(c));
            let after = text[i + name.len()..].chars().next().is_none_or(|c| !ident(c));
            before && after
        })
    }

    fn assign_into(&mut self, target: &mut Val, ix: &[Ix], value: Val, span: Span) -> R<()> {
        if ix.is_empty() {
            *target = coerce_like(target, value, span)?;
            return Ok(());
        }
        match target {
            Val::Array(items) => match &ix[0] {
                Ix::One(i) => self.assign_into(&mut items[*i], &ix[1..], value, span),
                Ix::Many(is) => {
                    let parts = match &value {
                        Val::Array(vs) if vs.len() == is.len() => vs.clone(),
                        _ => return Err(LowerError::new(span, "the assigned array has the wrong size")),
                    };
                    for (&i, p) in is.iter().zip(parts) {
                        self.assign_into(&mut items[i], &ix[1..], p, span)?;
                    }
                    Ok(())
                }
            },
            Val::Tensor(t) => {
                let cols = match t.kind {
                    TKind::Matrix(_, c) => c,
                    _ => 1,
                };
                let positions: Vec<usize> = match (t.kind, ix) {
                    (TKind::Vector(_) | TKind::RowVector(_), [one]) => match one {
                        Ix::One(i) => vec![*i],
                        Ix::Many(is) => is.clone(),
                    },
                    (TKind::Matrix(..), [rows]) => {
                        let rs = match rows {
                            Ix::One(i) => vec![*i],
                            Ix::Many(is) => is.clone(),
                        };
                        rs.iter().flat_map(|i| (0..cols).map(move |j| i * cols + j)).collect()
                    }
                    (TKind::Matrix(..), [ri, ci]) => {
                        let rs = match ri {
                            Ix::One(i) => vec![*i],
                            Ix::Many(is) => is.clone(),
                        };
                        let cs = match ci {
                            Ix::One(j) => vec![*j],
                            Ix::Many(js) => js.clone(),
                        };
                        rs.iter().flat_map(|i| cs.iter().map(move |j| i * cols + j)).collect()
                    }
                    _ => return Err(LowerError::new(span, "too many indexes in assignment")),
                };
                let values: Vec<Sc> = match &value {
                    Val::Int(_) | Val::Real(_) => vec![self.as_sc(&value, span, "the assigned value")?],
                    Val::Tensor(v) => self.elems(v),
                    Val::Array(_) => return Err(LowerError::new(span, "cannot assign an array into a vector or matrix")),
                };
                if values.len() != positions.len() {
                    return Err(LowerError::new(span, format!("assigning {} values to {} elements", values.len(), positions.len())));
                }
                // In place when the elements are not shared (the variable was
                // moved out of its scope): an element assignment in a loop
                // costs O(1), not a copy of the whole vector.
                if let Repr::Const(c) = &mut t.repr {
                    if values.iter().all(|v| matches!(v, Sc::C(_))) {
                        let c = Arc::make_mut(c);
                        for (&p, s) in positions.iter().zip(values) {
                            if let Sc::C(x) = s {
                                c[p] = x;
                            }
                        }
                        return Ok(());
                    }
                }
                if !matches!(t.repr, Repr::Elems(_)) {
                    t.repr = Repr::Elems(Arc::new(self.elems(t)));
                }
                if let Repr::Elems(es) = &mut t.repr {
                    let es = Arc::make_mut(es);
                    for (&p, s) in positions.iter().zip(values) {
                        es[p] = s;
                    }
                }
                Ok(())
            }
            _ => Err(LowerError::new(span, format!("cannot index {}", target.type_name()))),
        }
    }

    // ----------------------------------------------------------- statements

    pub fn exec_block(&mut self, stmts: &[Stmt]) -> R<Flow> {
        for s in stmts {
            match self.exec(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    pub fn exec(&mut self, s: &Stmt) -> R<Flow> {
        let span = s.span;
        match &s.kind {
            StmtKind::Decl(d) => {
                let v = self.declare(d)?;
                self.define(&d.name.name, v);
            }
            StmtKind::Assign { lhs, op, rhs } => {
                let rhs_v = self.eval(rhs)?;
                let name = &lhs.base.name;
                // The variable is moved out of its scope while it is updated
                // (no copy of a large array per element assignment), unless
                // its own indices read it.
                let reads_itself = self.indices_mention_base(lhs);
                let taken = if reads_itself {
                    self.lookup(name).cloned()
                } else {
                    self.lookup_mut(name).map(|v| std::mem::replace(v, Val::Int(0)))
                };
                let mut target = taken.ok_or_else(|| LowerError::new(lhs.base.span, format!("unknown variable '{name}'")))?;
                let result = self.assign_path(&mut target, lhs, *op, rhs_v, span);
                *self.lookup_mut(name).expect("looked up above") = target;
                result?;
            }
            StmtKind::Tilde { lhs, dist, args, truncation } => {
                let x = self.eval(lhs)?;
                let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
                let trunc = match truncation {
                    None => None,
                    Some(t) => Some((
                        t.lower.as_ref().map(|e| self.eval(e)).transpose()?,
                        t.upper.as_ref().map(|e| self.eval(e)).transpose()?,
                    )),
                };
                let lp = self.log_density(&dist.name, super::dists::Eval::Lpdf, &x, &vals, trunc, span)?;
                self.add_target(lp, span)?;
            }
            StmtKind::TargetPlus(e) | StmtKind::JacobianPlus(e) => {
                let v = self.eval(e)?;
                let total = self.sum(&v, span)?;
                self.add_target(total, span)?;
            }
            StmtKind::For { var, lower, upper, body } => {
                let lo = self.eval(lower)?;
                let lo = self.as_int(&lo, lower.span, "a loop bound")?;
                let hi = self.eval(upper)?;
                let hi = self.as_int(&hi, upper.span, "a loop bound")?;
                let mut i = lo;
                while i <= hi {
                    if let Some(stop) = self.loop_body(Some((&var.name, Val::Int(i))), body)? {
                        return Ok(stop);
                    }
                    i += 1;
                }
            }
            StmtKind::ForEach { var, iter, body } => {
                let it = self.eval(iter)?;
                let items: Vec<Val> = match &it {
                    Val::Array(a) => a.clone(),
                    Val::Tensor(t) => {
                        let t = t.clone();
                        self.elems(&t).into_iter().map(Val::Real).collect()
                    }
                    _ => return Err(LowerError::new(iter.span, format!("cannot loop over {}", it.type_name()))),
                };
                for item in items {
                    if let Some(stop) = self.loop_body(Some((&var.name, item)), body)? {
                        return Ok(stop);
                    }
                }
            }
            StmtKind::While { cond, body } => {
                let mut guard = 0u64;
                loop {
                    let c = self.eval(cond)?;
                    if !self.truth(&c, cond.span)? {
                        break;
                    }
                    guard += 1;
                    if guard > 100_000_000 {
                        return Err(LowerError::new(span, "while loop ran 10^8 times; stopping"));
                    }
                    if let Some(stop) = self.loop_body(None, body)? {
                        return Ok(stop);
                    }
                }
            }
            StmtKind::If { cond, then, els } => {
                let c = self.eval(cond)?;
                if matches!(c, Val::Real(Sc::E(_))) && self.model.is_some() {
                    return self.exec_if_on_parameters(&c, then, els.as_deref(), span);
                }
                let branch = if self.truth(&c, cond.span)? { Some(then) } else { els.as_ref() };
                if let Some(b) = branch {
                    self.scopes.push(HashMap::new());
                    let flow = self.exec(b);
                    self.scopes.pop();
                    return flow;
                }
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(e) => {
                let v = e.as_ref().map(|e| self.eval(e)).transpose()?;
                return Ok(Flow::Return(v));
            }
            StmtKind::TupleAssign { .. } => {
                return Err(LowerError::new(span, "tuples are not supported by exmc"));
            }
            StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => {
                self.scopes.push(HashMap::new());
                let flow = self.exec_block(stmts);
                self.scopes.pop();
                return flow;
            }
            StmtKind::Print(_) => {}
            StmtKind::Reject(parts) | StmtKind::FatalError(parts) => {
                let mut msg = String::new();
                for p in parts {
                    match p {
                        Printable::Str(s, _) => msg.push_str(s),
                        Printable::Expr(e) => {
                            let v = self.eval(e)?;
                            msg.push_str(&display_val(&v));
                        }
                    }
                }
                return Err(LowerError::new(span, format!("rejected: {msg}")));
            }
            StmtKind::Call { name, args } => {
                let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
                self.call(&name.name, vals, span, args)?;
            }
            StmtKind::Empty => {}
        }
        Ok(Flow::Normal)
    }

    /// Runs one iteration of a loop body in its own scope (with the loop
    /// variable, if any). `Some(flow)` ends the loop: `break` → `Normal`
    /// (the statement after the loop runs next), `return` → `Return`.
    fn loop_body(&mut self, var: Option<(&str, Val)>, body: &Stmt) -> R<Option<Flow>> {
        self.scopes.push(HashMap::new());
        if let Some((name, v)) = var {
            self.define(name, v);
        }
        let flow = self.exec(body);
        self.scopes.pop();
        Ok(match flow? {
            Flow::Break => Some(Flow::Normal),
            Flow::Return(v) => Some(Flow::Return(v)),
            Flow::Normal | Flow::Continue => None,
        })
    }

    pub fn add_target(&mut self, v: Val, span: Span) -> R<()> {
        let origin = self.origin(span);
        let e = self.val_expr(&v, span)?;
        if self.model.is_some() {
            self.target_terms.push(if e.len() == 1 { e.clone() } else { e.sum() });
        }
        if let Some(sink) = self.target_sinks.last_mut() {
            sink.push(if e.len() == 1 { e } else { e.sum() });
            return Ok(());
        }
        match &mut self.model {
            Some(m) => m.add_target(&origin, e).map_err(|err| LowerError::new(span, err.to_string())),
            // Concrete mode (generated quantities) ignores the target.
            None => Ok(()),
        }
    }

    // ------------------------------------------------------------ functions

    pub fn call(&mut self, name: &str, args: Vec<Val>, span: Span, arg_exprs: &[Expr]) -> R<Val> {
        if let Some(f) = self.funcs.get(name).copied() {
            return self.call_user(f, args, span);
        }
        if let Some((base, ev)) = super::dists::split_suffix(name) {
            return self.dist_call(base, ev, args, span, arg_exprs);
        }
        self.call_builtin(name, args, span)
    }

    pub(super) fn call_user(&mut self, f: &'p FunDef, args: Vec<Val>, span: Span) -> R<Val> {
        let body = f
            .body
            .as_ref()
            .ok_or_else(|| LowerError::new(span, format!("function '{}' is declared but never defined", f.name.name)))?;
        if args.len() != f.args.len() {
            return Err(LowerError::new(
                span,
                format!("'{}' takes {} arguments, got {}", f.name.name, f.args.len(), args.len()),
            ));
        }
        if self.depth >= MAX_CALL_DEPTH {
            return Err(LowerError::new(span, format!("recursion deeper than {MAX_CALL_DEPTH} calls in '{}'", f.name.name)));
        }
        let mut frame = HashMap::new();
        for (a, v) in f.args.iter().zip(args) {
            let v = match (a.ty.base, a.ty.array_dims, v) {
                (UnsizedBase::Real, 0, Val::Int(i)) => Val::real(i as f64),
                (_, _, v) => v,
            };
            frame.insert(a.name.name.clone(), v);
        }
        // A function sees its arguments and the global (data) scope only.
        let saved: Vec<HashMap<String, Val>> = self.scopes.drain(1..).collect();
        self.scopes.push(frame);
        self.depth += 1;
        let flow = self.exec(body);
        self.depth -= 1;
        self.scopes.truncate(1);
        self.scopes.extend(saved);
        match flow? {
            Flow::Return(Some(v)) => Ok(match (&f.return_type, v) {
                (ReturnType::Type(t), Val::Int(i)) if t.base == UnsizedBase::Real && t.array_dims == 0 => Val::real(i as f64),
                (_, v) => v,
            }),
            _ => match f.return_type {
                ReturnType::Void => Ok(Val::Int(0)),
                _ => Err(LowerError::new(span, format!("function '{}' ended without returning a value", f.name.name))),
            },
        }
    }

    fn dist_call(&mut self, base: &str, ev: super::dists::Eval, args: Vec<Val>, span: Span, _e: &[Expr]) -> R<Val> {
        use super::dists::Eval;
        if ev == Eval::Rng {
            return self.rng_call(base, &args, span);
        }
        let mut it = args.into_iter();
        let x = it.next().ok_or_else(|| LowerError::new(span, format!("{base}: missing the variate")))?;
        let rest: Vec<Val> = it.collect();
        self.log_density(base, ev, &x, &rest, None, span)
    }
}

/// Stan's implicit promotions on assignment: int → real, int arrays → real arrays.
fn coerce_like(target: &Val, v: Val, span: Span) -> R<Val> {
    Ok(match (target, v) {
        (Val::Real(_), Val::Int(i)) => Val::real(i as f64),
        (Val::Array(t), Val::Array(vs)) => {
            if let Some(t0) = t.first() {
                Val::Array(vs.into_iter().map(|x| coerce_like(t0, x, span)).collect::<R<_>>()?)
            } else {
                Val::Array(vs)
            }
        }
        (Val::Tensor(t), Val::Tensor(v)) if t.len() != v.len() => {
            return Err(LowerError::new(
                span,
                format!("size mismatch in assignment: {}[{}] = {}[{}]", t.kind.name(), t.len(), v.kind.name(), v.len()),
            ))
        }
        (Val::Tensor(t), Val::Tensor(v)) => Val::Tensor(Tensor { kind: t.kind, repr: v.repr }),
        (_, v) => v,
    })
}

/// Arrays of ints mixed with reals become arrays of reals.
fn promote_array(vals: Vec<Val>) -> Vec<Val> {
    if vals.iter().any(|v| matches!(v, Val::Real(_))) {
        vals.into_iter()
            .map(|v| match v {
                Val::Int(i) => Val::real(i as f64),
                v => v,
            })
            .collect()
    } else {
        vals
    }
}

pub(crate) fn display_val(v: &Val) -> String {
    match const_elems(v) {
        Some(c) if c.len() == 1 && matches!(v, Val::Int(_) | Val::Real(_)) => format!("{}", c[0]),
        Some(c) => format!("{c:?}"),
        None => "(parameter-dependent value)".into(),
    }
}

/// The two branches of `?:` with Stan's promotion of an `int` to `real`
/// when the other branch is real.
fn promote_pair(a: Val, b: Val) -> (Val, Val) {
    match (a, b) {
        (Val::Int(i), b @ Val::Real(_)) => (Val::real(i as f64), b),
        (a @ Val::Real(_), Val::Int(i)) => (a, Val::real(i as f64)),
        (a, b) => (a, b),
    }
}
