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
use crate::ast::Stmt;
use crate::token::Span;
use exmc_model::Expr;
use std::collections::HashMap;
use std::sync::Arc;

/// What tracing one branch left behind.
struct Branch {
    /// The scopes after the branch (its own scope popped).
    scopes: Vec<HashMap<String, Val>>,
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
        let before = self.scopes.clone();
        let a = self.trace_branch(Some(then), span)?;
        self.scopes = before.clone();
        let b = self.trace_branch(els, span)?;
        self.scopes = before;

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
        let (sa, sb) = match (a.rejected, b.rejected) {
            (true, true) => return Ok(Flow::Normal),
            (true, false) => (&b.scopes, &b.scopes),
            (false, true) => (&a.scopes, &a.scopes),
            (false, false) => (&a.scopes, &b.scopes),
        };
        let mut merged = sa.clone();
        for (level, scope) in merged.iter_mut().enumerate() {
            for (name, va) in scope.iter_mut() {
                let Some(vb) = sb.get(level).and_then(|s| s.get(name)) else {
                    return Err(LowerError::new(span, format!("'{name}' is not in scope after both branches")));
                };
                if !same(va, vb) {
                    let m = self.merge(c, va.clone(), vb.clone(), name, span)?;
                    *va = m;
                }
            }
        }
        self.scopes = merged;

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

    /// Traces one branch (or none: an absent `else`) from the current state.
    fn trace_branch(&mut self, body: Option<&Stmt>, span: Span) -> R<Branch> {
        let Some(body) = body else {
            return Ok(Branch { scopes: self.scopes.clone(), target: None, ret: None, rejected: false });
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
        Ok(Branch { scopes: self.scopes.clone(), target, ret, rejected })
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
