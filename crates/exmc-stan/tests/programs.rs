//! Our own example programs under tests/programs/ parse, with the expected
//! structure and (for the legacy one) the expected deprecation warnings.

use exmc_stan::ast::*;
use exmc_stan::{parse, render_diagnostics, sexpr};

fn load(name: &str) -> (String, Program, Vec<exmc_stan::Warning>) {
    let path = format!("{}/tests/programs/{name}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match parse(&src) {
        Ok((p, w)) => (src, p, w),
        Err(e) => panic!("{}", render_diagnostics(&e, name, &src)),
    }
}

fn block_names(p: &Program) -> Vec<&'static str> {
    let mut v: Vec<&str> = p.functions.iter().map(|_| "functions").collect();
    v.extend(p.blocks().map(|b| b.kind.name()));
    v
}

#[test]
fn all_program_files_parse_without_warnings_except_legacy() {
    let dir = format!("{}/tests/programs", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("programs dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("stan") {
            continue;
        }
        let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("").to_string();
        let (_, _, w) = load(&name);
        if name.contains("legacy") {
            assert!(!w.is_empty());
        } else {
            assert!(w.is_empty(), "{name}: {w:?}");
        }
        n += 1;
    }
    assert_eq!(n, 7);
}

#[test]
fn eight_schools_centered() {
    let (_, p, _) = load("eight_schools_centered.stan");
    assert_eq!(block_names(&p), vec!["data", "parameters", "model"]);
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert_eq!(
        m,
        "(model (~ mu normal 0 5) (~ tau cauchy 0 5) (~ theta normal mu tau) (~ y normal theta sigma))"
    );
    assert_eq!(
        sexpr::block(p.parameters.as_ref().expect("params")),
        "(parameters (decl real mu) (decl (real (lower 0)) tau) (decl (array (J) real) theta))"
    );
}

#[test]
fn eight_schools_noncentered() {
    let (_, p, _) = load("eight_schools_noncentered.stan");
    assert_eq!(block_names(&p), vec!["data", "parameters", "transformed parameters", "model", "generated quantities"]);
    assert_eq!(
        sexpr::block(p.transformed_parameters.as_ref().expect("tp")),
        "(transformed_parameters (decl (vector J) theta (+ mu (* tau eta))))"
    );
}

#[test]
fn logistic_regression() {
    let (_, p, _) = load("logistic_regression.stan");
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert!(m.contains("(~ y bernoulli_logit (+ alpha (* Xc beta)))"), "{m}");
    let td = sexpr::block(p.transformed_data.as_ref().expect("td"));
    assert!(td.contains("(= (index Xc : k) (- (index X : k) (index x_mean k)))"), "{td}");
}

#[test]
fn ar_k_loop() {
    let (_, p, _) = load("ar_k.stan");
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert!(m.contains("(for t (paren (+ K 1)) N (block (decl real mu alpha) (for k 1 K (block (+= mu (* (index beta k) (index y (- t k)))))) (~ (index y t) normal mu sigma)))"), "{m}");
}

#[test]
fn hmm_forward() {
    let (_, p, _) = load("hmm_forward.stan");
    let params = sexpr::block(p.parameters.as_ref().expect("params"));
    assert!(params.contains("(decl (array (K) (simplex K)) Gamma)"), "{params}");
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert!(m.contains("(target+= (log_sum_exp (index lp T)))"), "{m}");
    assert!(m.contains("(normal_lpdf (index y t) | (index mu k) sigma)"), "{m}");
}

#[test]
fn gp_cholesky() {
    let (_, p, _) = load("gp_cholesky.stan");
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert!(m.contains("(= L_K (cholesky_decompose K))"), "{m}");
    assert!(m.contains("(* (- 0.5) (square (- (index x i) (index x j))))"), "{m}");
    let td = sexpr::block(p.transformed_data.as_ref().expect("td"));
    assert_eq!(td, "(transformed_data (decl real delta 1e-9))");
}

#[test]
fn every_block_with_legacy_syntax() {
    let (src, p, w) = load("every_block_legacy.stan");
    assert_eq!(block_names(&p).len(), 7);
    let fs = &p.functions.as_ref().expect("functions").functions;
    assert_eq!(fs.len(), 6);
    assert!(fs[0].body.is_none());
    assert_eq!(fs[2].suffix, FunSuffix::Lpdf);
    assert_eq!(fs[3].suffix, FunSuffix::Lp);
    assert!(fs[4].args[1].data_only);
    let msgs: Vec<String> = w
        .iter()
        .map(|d| {
            let (l, c) = d.line_col(&src);
            format!("{l}:{c}: {}", d.message)
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "1:1: '#' comments are deprecated",
            "11:5: 'increment_log_prob(...)' is deprecated (removed in Stan 2.33)",
            "16:14: array types written as 'real[]' are deprecated (removed in Stan 2.33)",
            "18:7: assignment with '<-' is deprecated (removed in Stan 2.33)",
            "19:29: assignment with '<-' is deprecated (removed in Stan 2.33)",
            "25:9: array declarations with sizes after the name are deprecated (removed in Stan 2.33)",
            "46:20: 'get_lp()' is deprecated (removed in Stan 2.33)",
            "60:16: function 'if_else' is deprecated",
        ]
    );
    let gq = sexpr::block(p.generated_quantities.as_ref().expect("gq"));
    assert!(gq.contains("(foreach c counts (block (if (< c 0) (continue))))"), "{gq}");
    let m = sexpr::block(p.model.as_ref().expect("model"));
    assert!(m.contains("(~ y normal mu s (T (- 10) 10))"), "{m}");
    assert!(m.contains("(profile \"unused\" (decl real tmp (if_else (> mu 0) 1.0 (- 1.0))))"), "{m}");
}
