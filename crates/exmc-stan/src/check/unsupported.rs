//! Stan features the parser reads in full but exmc cannot type-check or run
//! (complex numbers, tuples): one clear `not supported: <feature>` error at
//! the first place each appears, and no follow-on errors from the names
//! they introduce (a variable or function of such a type is "opaque": uses
//! of it type as unknown, silently).

use super::Checker;
use crate::ast::{Expr, ExprKind, FunDef, ReturnType, UnsizedType};
use crate::diagnostic::Diagnostic;
use crate::token::Span;

/// `not supported: <what>` at `span`.
pub fn not_supported(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(span, format!("not supported: {what}"))
        .with_note("this is valid Stan, but exmc does not implement it (yet)")
}

/// The first type in a signature that exmc does not support, with its feature.
pub fn unsupported_in_signature(f: &FunDef) -> Option<(Span, &'static str)> {
    fn first(t: &UnsizedType) -> Option<(Span, &'static str)> {
        t.base.unsupported().map(|w| (t.span, w))
    }
    let ret = match &f.return_type {
        ReturnType::Void => None,
        ReturnType::Type(t) => first(t),
    };
    ret.or_else(|| f.args.iter().find_map(|a| first(&a.ty)))
}

impl Checker {
    /// Report `what` at `span` as not supported.
    pub fn unsupported(&mut self, span: Span, what: &str) {
        self.error(not_supported(span, what));
    }

    /// `t.1 = e;` or `(a, _, b) = e;`: the parts are checked (a tuple
    /// element of a non-tuple is an error; of an opaque variable, silent),
    /// unpacking itself is not supported.
    pub fn tuple_assign(&mut self, lhs: &Expr, rhs: &Expr) {
        self.tuple_parts(rhs);
        if matches!(lhs.kind, ExprKind::TupleLit(_)) {
            self.tuple_parts(lhs);
            self.unsupported(lhs.span, "tuple unpacking");
        } else {
            self.expr(lhs);
        }
    }

    /// Check the elements of (nested) tuple expressions, skipping `_`.
    fn tuple_parts(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::TupleLit(items) => items.iter().for_each(|i| self.tuple_parts(i)),
            ExprKind::Var(n) if n == "_" => {}
            _ => {
                self.expr(e);
            }
        }
    }

    /// Whether a local (found by lookup) was declared with an unsupported type.
    pub fn is_opaque(&self, decl_span: Span) -> bool {
        self.opaque_vars.contains(&decl_span)
    }
}
