//! Every case of `shared/fixtures/diagnostics.json` (ArviZ 0.23.4 values) against
//! `exmc_report::diag`, within 1e-6 relative. Fields the fixture marks "nan" must be
//! undefined here too (NaN / None), never a number.

use exmc_report::diag;
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diagnostics.json");
const REL_TOL: f64 = 1e-6;

fn load() -> Value {
    let text = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("read {FIXTURE}: {e}"));
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

/// The fixture writes undefined values as the string "nan".
fn expected(case: &Value, key: &str) -> Option<f64> {
    match &case[key] {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.eq_ignore_ascii_case("nan") => None,
        other => panic!("{}: field {key} has unexpected form {other}", case["name"]),
    }
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("list of chains")
        .iter()
        .map(|c| c.as_array().expect("chain").iter().map(|x| x.as_f64().expect("number")).collect())
        .collect()
}

fn check(case: &str, what: &str, got: Option<f64>, want: Option<f64>, failures: &mut Vec<String>) {
    match (got, want) {
        (Some(g), Some(w)) if g.is_finite() => {
            let rel = (g - w).abs() / w.abs().max(1e-300);
            if rel > REL_TOL {
                failures.push(format!("{case} {what}: got {g}, ArviZ {w} (rel err {rel:.2e})"));
            }
        }
        (g, None) if g.is_none_or(f64::is_nan) => {}
        (g, w) => failures.push(format!("{case} {what}: got {g:?}, ArviZ {w:?}")),
    }
}

#[test]
fn diagnostics_match_arviz() {
    let fx = load();
    let cases = fx["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    // Every key of every case must be checked here; an unknown key fails the test.
    let known = [
        "name", "chains", "ess_bulk", "ess_tail", "ess_mean", "rhat_rank", "rhat_split", "mcse_mean",
        "mcse_sd", "q05", "q50", "q95",
    ];
    for case in cases {
        let name = case["name"].as_str().expect("name");
        for key in case.as_object().expect("case object").keys() {
            assert!(known.contains(&key.as_str()), "{name}: fixture key {key} is not checked");
        }
        let m = matrix(&case["chains"]);
        let c: Vec<&[f64]> = m.iter().map(Vec::as_slice).collect();
        let some = |x: f64| Some(x);
        check(name, "ess_bulk", some(diag::ess_bulk(&c)), expected(case, "ess_bulk"), &mut failures);
        check(name, "ess_tail", some(diag::ess_tail(&c)), expected(case, "ess_tail"), &mut failures);
        check(name, "ess_mean", some(diag::ess_mean(&c)), expected(case, "ess_mean"), &mut failures);
        check(name, "rhat", diag::rhat(&c), expected(case, "rhat_rank"), &mut failures);
        check(name, "rhat_split", diag::rhat_split(&c), expected(case, "rhat_split"), &mut failures);
        check(name, "mcse_mean", some(diag::mcse_mean(&c)), expected(case, "mcse_mean"), &mut failures);
        check(name, "mcse_sd", some(diag::mcse_sd(&c)), expected(case, "mcse_sd"), &mut failures);
        check(name, "q05", some(diag::quantile(&c, 0.05)), expected(case, "q05"), &mut failures);
        check(name, "q50", some(diag::quantile(&c, 0.5)), expected(case, "q50"), &mut failures);
        check(name, "q95", some(diag::quantile(&c, 0.95)), expected(case, "q95"), &mut failures);
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn one_chain_rhat_is_undefined() {
    let fx = load();
    let case = fx["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["chains"].as_array().is_some_and(|a| a.len() == 1))
        .expect("fixture has a one-chain case");
    assert_eq!(expected(case, "rhat_rank"), None, "ArviZ leaves one-chain R-hat undefined");
    let m = matrix(&case["chains"]);
    let c: Vec<&[f64]> = m.iter().map(Vec::as_slice).collect();
    assert_eq!(diag::rhat(&c), None);
    assert_eq!(diag::rhat_split(&c), None);
    assert!(diag::ess_bulk(&c).is_finite(), "ESS of one split chain is defined");
}

#[test]
fn e_bfmi_matches_arviz() {
    let fx = load();
    let sets = fx["energy"].as_array().expect("energy sets");
    assert!(!sets.is_empty());
    let mut failures = Vec::new();
    for set in sets {
        let name = set["name"].as_str().expect("name");
        for key in set.as_object().expect("object").keys() {
            assert!(["name", "energy", "bfmi"].contains(&key.as_str()), "{name}: unchecked key {key}");
        }
        let energy = matrix(&set["energy"]);
        let want: Vec<f64> = set["bfmi"].as_array().expect("bfmi").iter().map(|x| x.as_f64().expect("num")).collect();
        assert_eq!(energy.len(), want.len());
        for (i, (e, w)) in energy.iter().zip(&want).enumerate() {
            check(name, &format!("chain {i} e_bfmi"), Some(diag::e_bfmi(e)), Some(*w), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
