//! The posteriordb validator on a few quick posteriors, with fewer draws
//! than the full protocol (4 chains × 500 after 500 warmup; bulk ESS ≥ 200
//! instead of 400 accordingly): our programs in models/posteriordb pass, a
//! deliberately wrong program fails, a program with an algebraic solver is
//! "not supported".

use exmc::validate::{validate, Status, ValidateOptions};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn quick(posteriors: &[&str]) -> ValidateOptions {
    let mut o = ValidateOptions::in_repo(&repo());
    o.posteriors = posteriors.iter().map(|s| s.to_string()).collect();
    o.num_warmup = 500;
    o.num_draws = 500;
    o.thresholds.min_ess_bulk = 200.0;
    o.retries = 1;
    o
}

#[test]
fn quick_posteriors_pass() {
    let names =
        ["kidiq-kidscore_momhs", "arma-arma11", "eight_schools-eight_schools_noncentered", "hmm_example-hmm_example"];
    let report = validate(&quick(&names));
    print!("{}", report.to_table());
    assert_eq!(report.results.len(), names.len());
    for r in &report.results {
        assert!(r.status.passed(), "{}: {:?}\n{}", r.name, r.status, report.to_markdown());
        let run = &r.runs[0];
        // every reference quantity was compared, transformed ones included
        let expected = match r.name.as_str() {
            "kidiq-kidscore_momhs" => 3,
            "arma-arma11" => 4,
            "eight_schools-eight_schools_noncentered" => 10,
            _ => 6,
        };
        assert_eq!(run.checks.len(), expected, "{}", r.name);
        assert!(run.min_ess() >= 200.0 && run.max_rhat() < 1.01, "{}", r.name);
    }
    assert!(report.ok());
    let names: Vec<&str> = report.results[2].runs[0].checks.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"theta[1]") && names.contains(&"tau"), "{names:?}");
}

#[test]
fn a_wrong_program_fails_and_an_algebraic_solver_is_not_supported() {
    // kidscore_momhs with the likelihood's scale inflated by 10 %: sigma's
    // posterior shrinks by about 10 %, far beyond 4 MCSE.
    let dir = std::env::temp_dir().join(format!("exmc-validate-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::fs::read_to_string(repo().join("models/posteriordb/kidiq-kidscore_momhs.stan")).unwrap();
    let wrong = src.replace("mom_hs, sigma)", "mom_hs, 1.1 * sigma)");
    assert_ne!(src, wrong, "the program changed; update the test");
    std::fs::write(dir.join("kidiq-kidscore_momhs.stan"), wrong).unwrap();
    // The ODE program with an (unsupported) algebraic solver added, under
    // posteriordb's model name: found by model name.
    let ode = std::fs::read_to_string(repo().join("models/posteriordb/one_comp_mm_elim_abs-one_comp_mm_elim_abs.stan")).unwrap();
    let solver = ode
        .replacen("functions {", "functions {\n  vector shift(vector x) { return x - 1; }", 1)
        .replacen("transformed parameters {", "transformed parameters {\n  vector[1] root = solve_newton(shift, C0);", 1);
    assert!(solver.contains("solve_newton(shift"), "the program changed; update the test");
    std::fs::write(dir.join("one_comp_mm_elim_abs.stan"), solver).unwrap();
    let mut o = quick(&["kidiq-kidscore_momhs", "one_comp_mm_elim_abs-one_comp_mm_elim_abs"]);
    o.programs = dir.clone();
    let report = validate(&o);
    std::fs::remove_dir_all(&dir).unwrap();

    let bad = &report.results[0];
    assert_eq!(bad.status, Status::Fail, "{}", report.to_markdown());
    assert_eq!(bad.runs.len(), 2, "first seed and one retry");
    assert!(bad.runs[0].failures.iter().any(|f| f.starts_with("sigma: mean")), "{:?}", bad.runs[0].failures);
    assert!(bad.runs[0].worst_z().unwrap().1 > 10.0);

    let ode = &report.results[1];
    match &ode.status {
        Status::NotSupported(m) => assert!(m.contains("solve_newton") && m.contains("not supported"), "{m}"),
        s => panic!("expected not supported, got {s:?}"),
    }
    assert_eq!(ode.program.as_deref(), Some(Path::new(&dir.join("one_comp_mm_elim_abs.stan"))));
    assert!(!report.ok());
    let md = report.to_markdown();
    assert!(md.contains("| kidiq-kidscore_momhs | FAIL |") && md.contains("not supported"), "{md}");
}
