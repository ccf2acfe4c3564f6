//! Builtins whose first argument is a user-defined function: the ODE
//! solvers, `reduce_sum`, `map_rect`, the algebraic solvers. Their signatures are
//! variadic, so they are typed here rather than in the signature table.

use super::types::{Base, RetType, Type};
use super::{CallTarget, Checker};
use crate::ast::{Expr, ExprKind, Ident};
use crate::diagnostic::Diagnostic;
use crate::library::{self, HigherOrder};
use crate::token::Span;

fn arr(b: Base, d: usize) -> Type {
    Type::new(b, d)
}

impl Checker {
    /// Type a call of a higher-order builtin. Records the builtin for the
    /// call and the user function for the first argument.
    pub fn higher_order_call(&mut self, span: Span, name: &Ident, args: &[Expr], kind: HigherOrder) -> Option<Type> {
        // `f_lupmf` names the user's `f_lpmf` (dropping constants).
        let user_name = |n: &str| match (n.strip_suffix("_lupdf"), n.strip_suffix("_lupmf")) {
            (Some(b), _) => format!("{b}_lpdf"),
            (_, Some(b)) => format!("{b}_lpmf"),
            _ => n.to_string(),
        };
        let fname = match args.first().map(|a| &a.unparen().kind) {
            Some(ExprKind::Var(n)) if self.user_fns.contains_key(&user_name(n)) => user_name(n),
            // A function with an unsupported signature (already reported).
            Some(ExprKind::Var(n)) if self.opaque_fns.contains(&user_name(n)) => return None,
            _ => {
                let at = args.first().map_or(span, |a| a.span);
                self.err(at, format!("the first argument of '{}' must be the name of a user-defined function", name.name));
                return None;
            }
        };
        let tys: Vec<Option<Type>> = args[1..].iter().map(|a| self.expr(a)).collect();
        let tys: Vec<Type> = tys.into_iter().collect::<Option<_>>()?;
        let (r, i) = (Base::Real, Base::Int);
        // Fixed (control) arguments after the function, the result type, and
        // how the function's own argument list starts.
        let (fixed, ret, fn_ret, fn_head): (Vec<Type>, Type, Type, Vec<Type>) = match kind {
            HigherOrder::Ode { tol } => {
                let mut f = vec![Type::VECTOR, Type::REAL, arr(r, 1)];
                if tol {
                    f.extend([Type::REAL, Type::REAL, Type::INT]);
                }
                (f, arr(Base::Vector, 1), Type::VECTOR, vec![Type::REAL, Type::VECTOR])
            }
            HigherOrder::IntegrateOde => {
                let mut f = vec![arr(r, 1), Type::REAL, arr(r, 1), arr(r, 1), arr(r, 1), arr(i, 1)];
                if tys.len() == 9 {
                    f.extend([Type::REAL, Type::REAL, Type::REAL]);
                }
                let head = vec![Type::REAL, arr(r, 1), arr(r, 1), arr(r, 1), arr(i, 1)];
                (f, arr(r, 2), arr(r, 1), head)
            }
            HigherOrder::ReduceSum => {
                let x = tys.first().copied().filter(|t| t.dims >= 1).unwrap_or(arr(r, 1));
                (vec![x, Type::INT], Type::REAL, Type::REAL, vec![x, Type::INT, Type::INT])
            }
            HigherOrder::AlgebraSolver => {
                let mut f = vec![Type::VECTOR, Type::VECTOR, arr(r, 1), arr(i, 1)];
                if tys.len() == 7 {
                    f.extend([Type::REAL, Type::REAL, Type::REAL]);
                }
                (f, Type::VECTOR, Type::VECTOR, vec![Type::VECTOR, Type::VECTOR, arr(r, 1), arr(i, 1)])
            }
            HigherOrder::Solve => (vec![Type::VECTOR], Type::VECTOR, Type::VECTOR, vec![Type::VECTOR]),
            HigherOrder::MapRect => {
                let head = vec![Type::VECTOR, Type::VECTOR, arr(r, 1), arr(i, 1)];
                (vec![Type::VECTOR, arr(Base::Vector, 1), arr(r, 2), arr(i, 2)], Type::VECTOR, Type::VECTOR, head)
            }
        };
        let variadic_ok = matches!(kind, HigherOrder::Ode { .. } | HigherOrder::ReduceSum | HigherOrder::Solve);
        if tys.len() < fixed.len() || (!variadic_ok && tys.len() != fixed.len()) {
            self.err(span, format!("'{}' takes {} arguments after the function, found {}", name.name, fixed.len(), tys.len()));
            return None;
        }
        for (k, (got, want)) in tys.iter().zip(&fixed).enumerate() {
            if !got.promotes_to(*want) {
                self.err(args[k + 1].span, format!("argument {} of '{}' must be '{want}', found '{got}'", k + 2, name.name));
                return None;
            }
        }
        // The user function must accept (head ++ variadic) and return fn_ret.
        let mut want_args = fn_head;
        let variadic = if variadic_ok { &tys[fixed.len()..] } else { &[][..] };
        want_args.extend_from_slice(variadic);
        let ids = self.user_fns.get(&fname).cloned().unwrap_or_default();
        let found = ids.iter().copied().find(|&k| {
            let u = &self.out.functions[k];
            u.args.len() == want_args.len()
                && want_args.iter().zip(&u.args).all(|(a, b)| a.promotes_to(*b))
                && u.ret == RetType::Value(fn_ret)
        });
        let Some(k) = found else {
            let list = want_args.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
            self.err(args[0].span, format!("'{}' needs '{fname}' to have the signature {fn_ret} {fname}({list})", name.name));
            return None;
        };
        self.out.calls.insert(args[0].span, CallTarget::User(k));
        if let Some(entry) = library::lookup(&name.name) {
            if !entry.supported && !crate::lower::supports(&entry.name) && self.opts.reject_unsupported {
                let help = if entry.name.contains("bdf") {
                    "exmc has no stiff (BDF) ODE solver yet; if the system is not stiff, the rk45 form with the same arguments solves it"
                } else {
                    "it is a valid Stan function, but exmc cannot compile it yet"
                };
                self.error(Diagnostic::error(span, format!("`{}` is not supported by exmc yet", entry.name)).with_help(help));
            }
            self.out.calls.insert(span, CallTarget::Builtin { id: entry.id, name: entry.name.clone(), sig: 0, supported: entry.supported });
        }
        Some(ret)
    }
}
