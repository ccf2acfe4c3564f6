//! Helpers shared by the parser tests.
#![allow(dead_code)]

use exmc_stan::ast::{Program, StmtKind};
use exmc_stan::{parse, sexpr, Diagnostic};

/// Parse or panic with the rendered errors.
pub fn ok(src: &str) -> (Program, Vec<Diagnostic>) {
    match parse(src) {
        Ok(x) => x,
        Err(e) => panic!("unexpected parse failure:\n{}", exmc_stan::render_diagnostics(&e, "test.stan", src)),
    }
}

/// S-expression of a whole program.
pub fn prog(src: &str) -> String {
    sexpr::program(&ok(src).0)
}

/// S-expression of the statements of a `model` block body.
pub fn model(body: &str) -> String {
    let src = format!("model {{\n{body}\n}}");
    let (p, _) = ok(&src);
    let m = p.model.expect("model block");
    m.stmts.iter().map(sexpr::stmt).collect::<Vec<_>>().join(" ")
}

/// S-expression of one expression (parsed as `target += <e>;`).
pub fn expr(e: &str) -> String {
    let src = format!("model {{ target += {e}; }}");
    let (p, _) = ok(&src);
    let m = p.model.expect("model block");
    match &m.stmts[0].kind {
        StmtKind::TargetPlus(x) => sexpr::expr(x),
        other => panic!("unexpected {other:?}"),
    }
}

/// The errors for an invalid program, as `line:col: message`.
pub fn errs(src: &str) -> Vec<String> {
    match parse(src) {
        Ok(_) => panic!("expected a parse error for:\n{src}"),
        Err(ds) => ds
            .iter()
            .map(|d| {
                let (l, c) = d.line_col(src);
                format!("{l}:{c}: {}", d.message)
            })
            .collect(),
    }
}

/// The first error as `line:col: message`.
pub fn err(src: &str) -> String {
    errs(src).remove(0)
}

/// Warnings as `line:col: message`.
pub fn warns(src: &str) -> Vec<String> {
    let (_, w) = ok(src);
    w.iter()
        .map(|d| {
            let (l, c) = d.line_col(src);
            format!("{l}:{c}: {}", d.message)
        })
        .collect()
}
