//! `if` statements whose condition depends on parameters ("if-conversion",
//! Allen et al. 1983): both branches are traced from the same state, then
//! every variable that a branch changed becomes `select(c, then, else)`, and
//! the `target +=` / `~` terms of each branch are summed and added as
//! `select(c, then_terms, else_terms)`. Only the taken branch gets gradient
//! (exact almost everywhere, as for `?:`).
//!
//! Both branches are *evaluated* at every point, as for `?:`: the branch not
//! taken must still be computable there. `sqrt` of a negative number or a
//! `normal` with a negative scale in the untaken branch makes the point a
//! divergence (reported, never a silent NaN). Real branching in the compiled
//! program would lift this; it is not done yet.
//!
//! A branch that reaches `reject` adds `−∞` to the target when taken: the
//! proposal is rejected (a divergence), as Stan rejects it. `break`,
//! `continue`, and a `return` in only one branch need real control flow on
//! parameter values: a clear "not supported yet" error. `return` in both
//! branches returns the selected value.

use super::interp::{Flow, Interp, LowerError, R};
use super::value::{Repr, Sc, Tensor, Val};
use crate::ast::{Stmt, StmtKind};
use crate::token::Span;
use exmc_model::Expr;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What tracing one branch left behind.
struct Branch {
    /// The values of the variables the branches assign, after the branch.
    values: Vec<Option<Val>>,
    /// Sum of its target terms (`None`: it added none).
    target: Option<Expr>,
    /// `Some(v)` when the branch ended in `return v`.
    ret: Option<Option<Val>>,
    /// The branch reached `reject`.
    rejected: bool,
}

impl<'p> Interp<'p> {
    /// Runs `if (c) then else els` for a condition `c` that depends on parameters.
    pub(crate) fn exec_if_on_parameters(&mut self, c: &Val, then: &Stmt, els: Option<&Stmt>, span: Span) -> R<Flow> {
        // Only the variables that a branch assigns can differ afterwards:
        // snapshot those (not every scope, which holds all the data).
        let mut names = HashSet::new();
        assigned_names(then, &mut names);
        if let Some(e) = els {
            assigned_names(e, &mut names);
        }
        let names: Vec<String> = names.into_iter().filter(|n| self.lookup(n).is_some()).collect();
        let before: Vec<Option<Val>> = names.iter().map(|n| self.lookup(n).cloned()).collect();
        let a = self.trace_branch(Some(then), &names, span)?;
        self.restore(&names, &before);
        let b = self.trace_branch(els, &names, span)?;
        self.restore(&names, &before);

        // The target: each branch's terms, or −∞ where it rejects.
        let term = |x: &Branch| match (x.rejected, &x.target) {
            (true, _) => Some(Sc::C(f64::NEG_INFINITY)),
            (false, Some(_)) => None, // filled in below (needs &mut self)
            (false, None) => Some(Sc::C(0.0)),
        };
        let (ta, tb) = (term(&a), term(&b));
        let ta = match ta {
            Some(s) => s,
            None => self.sc(a.target.clone().expect("has terms")),
        };
        let tb = match tb {
            Some(s) => s,
            None => self.sc(b.target.clone().expect("has terms")),
        };
        if ta != Sc::C(0.0) || tb != Sc::C(0.0) {
            let t = self.select(c, Val::Real(ta), Val::Real(tb), span)?;
            self.add_target(t, span)?;
        }

        // The state: a rejecting branch leaves nothing that matters.
        let (va, vb) = match (a.rejected, b.rejected) {
            (true, true) => return Ok(Flow::Normal),
            (true, false) => (&b.values, &b.values),
            (false, true) => (&a.values, &a.values),
            (false, false) => (&a.values, &b.values),
        };
        for (i, name) in names.iter().enumerate() {
            let (Some(x), Some(y)) = (&va[i], &vb[i]) else { continue };
            let m = self.merge(c, x.clone(), y.clone(), name, span)?;
            if let Some(slot) = self.lookup_mut(name) {
                *slot = m;
            }
        }

        match (a.ret, b.ret, a.rejected || b.rejected) {
            (None, None, _) => Ok(Flow::Normal),
            (Some(Some(x)), Some(Some(y)), false) => Ok(Flow::Return(Some(self.merge(c, x, y, "the returned value", span)?))),
            (Some(x), _, true) if b.rejected => Ok(Flow::Return(x)),
            (_, Some(y), true) if a.rejected => Ok(Flow::Return(y)),
            _ => Err(LowerError::new(
                span,
                "a 'return' in only one branch of an 'if' whose condition depends on parameters is not supported yet",
            )),
        }
    }

    /// Puts back the values of `names` from before a branch.
    fn restore(&mut self, names: &[String], values: &[Option<Val>]) {
        for (n, v) in names.iter().zip(values) {
            if let (Some(slot), Some(v)) = (self.lookup_mut(n), v) {
                *slot = v.clone();
            }
        }
    }

    /// Traces one branch (or none: an absent `else`) from the current state.
    fn trace_branch(&mut self, body: Option<&Stmt>, names: &[String], span: Span) -> R<Branch> {
        let snapshot = |it: &Self| names.iter().map(|n| it.lookup(n).cloned()).collect::<Vec<_>>();
        let Some(body) = body else {
            return Ok(Branch { values: snapshot(self), target: None, ret: None, rejected: false });
        };
        let terms_before = self.target_terms.len();
        self.target_sinks.push(Vec::new());
        self.scopes.push(HashMap::new());
        let flow = self.exec(body);
        self.scopes.pop();
        let terms = self.target_sinks.pop().expect("pushed above");
        // `target()` inside the branch saw its own terms; outside, only the selected total counts.
        self.target_terms.truncate(terms_before);
        let (ret, rejected) = match flow {
            Ok(Flow::Normal) => (None, false),
            Ok(Flow::Return(v)) => (Some(v), false),
            Ok(Flow::Break | Flow::Continue) => {
                return Err(LowerError::new(
                    span,
                    "'break' or 'continue' inside an 'if' whose condition depends on parameters is not supported yet",
                ))
            }
            Err(e) if e.message.starts_with("rejected:") => (None, true),
            Err(e) => return Err(e),
        };
        let target = terms.into_iter().reduce(|acc, t| acc.binary(exmc_model::BinaryFn::Add, &t));
        Ok(Branch { values: snapshot(self), target, ret, rejected })
    }

    /// `select(c, a, b)` element by element, keeping elements that are the
    /// same in both (so that an `if` inside a loop over a vector's elements
    /// does not rebuild the whole vector per iteration).
    fn merge(&mut self, c: &Val, a: Val, b: Val, name: &str, span: Span) -> R<Val> {
        if same(&a, &b) {
            return Ok(a);
        }
        match (a, b) {
            (Val::Int(_), Val::Int(_)) => Err(LowerError::new(
                span,
                format!("'{name}' is an integer set differently by the branches of an 'if' whose condition depends on parameters; this is not supported yet"),
            )),
            (Val::Array(xs), Val::Array(ys)) if xs.len() == ys.len() => {
                xs.into_iter().zip(ys).map(|(x, y)| self.merge(c, x, y, name, span)).collect::<R<_>>().map(Val::Array)
            }
            (Val::Tensor(x), Val::Tensor(y)) if x.kind == y.kind && !matches!((&x.repr, &y.repr), (Repr::Whole(_), Repr::Whole(_))) => {
                let (ex, ey) = (self.elems(&x), self.elems(&y));
                let mut out = Vec::with_capacity(ex.len());
                for (p, q) in ex.into_iter().zip(ey) {
                    out.push(if p == q {
                        p
                    } else {
                        match self.select(c, Val::Real(p), Val::Real(q), span)? {
                            Val::Real(s) => s,
                            other => return Err(LowerError::new(span, format!("'{name}': a selected element is {}", other.type_name()))),
                        }
                    });
                }
                Ok(Val::Tensor(Tensor { kind: x.kind, repr: Repr::Elems(Arc::new(out)) }))
            }
            (Val::Int(i), b) => self.select(c, Val::real(i as f64), b, span),
            (a, Val::Int(i)) => self.select(c, a, Val::real(i as f64), span),
            (a, b) => self.select(c, a, b, span),
        }
    }
}

/// Whether two values are the same graph values (cheap, conservative).
fn same(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Real(x), Val::Real(y)) => match (x, y) {
            (Sc::C(p), Sc::C(q)) => p.to_bits() == q.to_bits(),
            _ => x == y,
        },
        (Val::Tensor(x), Val::Tensor(y)) => {
            x.kind == y.kind
                && match (&x.repr, &y.repr) {
                    (Repr::Const(p), Repr::Const(q)) => Arc::ptr_eq(p, q) || p == q,
                    (Repr::Elems(p), Repr::Elems(q)) => Arc::ptr_eq(p, q) || p == q,
                    (Repr::Whole(p), Repr::Whole(q)) => p == q,
                    _ => false,
                }
        }
        (Val::Array(x), Val::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        _ => false,
    }
}

/// Names of the variables that `s` assigns to (over-approximated: a local
/// of the same name as an outer variable counts too; harmless).
fn assigned_names(s: &Stmt, out: &mut HashSet<String>) {
    match &s.kind {
        StmtKind::Assign { lhs, .. } => {
            out.insert(lhs.base.name.clone());
        }
        StmtKind::For { body, .. } | StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => assigned_names(body, out),
        StmtKind::If { then, els, .. } => {
            assigned_names(then, out);
            if let Some(e) = els {
                assigned_names(e, out);
            }
        }
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => stmts.iter().for_each(|t| assigned_names(t, out)),
        _ => {}
    }
}
