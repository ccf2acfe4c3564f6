//! The example programs type-check cleanly (the Stan language alone); with
//! the default options the only errors are builtins exmc does not implement.

use exmc_stan::{check, check_with, parse, render_diagnostics, CheckOptions, Severity};

fn programs() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("programs dir").flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "stan") {
            out.push((p.display().to_string(), std::fs::read_to_string(&p).expect("read")));
        }
    }
    out.sort();
    assert!(out.len() >= 7);
    out
}

#[test]
fn example_programs_check_cleanly() {
    for (name, src) in programs() {
        let (prog, _) = parse(&src).unwrap_or_else(|e| panic!("{}", render_diagnostics(&e, &name, &src)));
        let opts = CheckOptions { reject_unsupported: false };
        match check_with(&prog, opts) {
            Ok(c) => {
                // every expression of every statement got a type
                assert!(!c.expr_types.is_empty(), "{name}");
            }
            Err(e) => panic!("{}", render_diagnostics(&e, &name, &src)),
        }
    }
}

#[test]
fn default_check_rejects_only_unsupported_builtins() {
    for (name, src) in programs() {
        let (prog, _) = parse(&src).expect("parses");
        if let Err(e) = check(&prog) {
            for d in e.iter().filter(|d| d.severity == Severity::Error) {
                assert!(d.message.ends_with("is not supported by exmc yet"), "{name}: {}", render_diagnostics(std::slice::from_ref(d), &name, &src));
            }
        }
    }
}
