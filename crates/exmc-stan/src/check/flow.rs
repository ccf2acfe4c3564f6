//! Control flow facts: whether a statement always returns (for the
//! "missing return" check of non-void functions).

use crate::ast::{Stmt, StmtKind};

/// True if every path through `s` ends in `return`, `reject` or `fatal_error`.
/// Loops are assumed to possibly run zero times.
pub fn always_returns(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) | StmtKind::Reject(_) | StmtKind::FatalError(_) => true,
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => stmts.iter().any(always_returns),
        StmtKind::If { then, els: Some(els), .. } => always_returns(then) && always_returns(els),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(src: &str) -> Stmt {
        let prog = format!("functions {{ real f(real x) {src} }}");
        let (p, _) = crate::parse(&prog).expect("parses");
        p.functions.unwrap().functions[0].body.clone().unwrap()
    }

    #[test]
    fn returns() {
        assert!(always_returns(&body("{ return x; }")));
        assert!(always_returns(&body("{ if (x > 0) return 1; else return 2; }")));
        assert!(!always_returns(&body("{ if (x > 0) return 1; }")));
        assert!(!always_returns(&body("{ while (1) { return 1; } }")));
        assert!(always_returns(&body("{ if (x > 0) return 1; reject(\"no\"); }")));
    }
}
