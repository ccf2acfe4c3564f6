use super::*;
use crate::diag::tests_support::normals;

const STATS: [&str; 7] = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];

/// One chain: sampler statistics plus `theta[1]`, `theta[2]` (columns given).
fn chain(seed: u64, n: usize, theta1: Vec<f64>, energy: Vec<f64>, divergent: Vec<f64>, treedepth: Vec<f64>) -> ChainDraws {
    let mut names: Vec<String> = STATS.iter().map(|s| s.to_string()).collect();
    names.extend(["theta[1]".to_string(), "theta[2]".to_string()]);
    let lp: Vec<f64> = normals(seed + 100, n).iter().map(|z| -1.0 - 0.5 * z * z).collect();
    let columns = vec![lp, vec![0.8; n], vec![0.5; n], treedepth, vec![3.0; n], divergent, energy, theta1, normals(seed + 200, n).iter().map(|z| 3.0 + 2.0 * z).collect()];
    ChainDraws::new(names, columns).expect("consistent")
}

fn good_chains(m: usize, n: usize) -> Vec<ChainDraws> {
    (0..m as u64).map(|k| chain(k, n, normals(k + 1, n), normals(k + 50, n), vec![0.0; n], vec![2.0; n])).collect()
}

#[test]
fn iid_normals_summarise_cleanly() {
    let chains = good_chains(4, 1000);
    let s = summarize(&chains, &SamplerTotals::default()).expect("summary");
    assert_eq!(s.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["lp__", "theta[1]", "theta[2]"]);
    for p in &s.parameters {
        let r = p.r_hat.expect("defined with 4 chains");
        assert!(r < 1.01, "{}: R-hat {r}", p.name);
        let b = p.ess_bulk.expect("ess");
        assert!((3400.0..4600.0).contains(&b), "{}: ess_bulk {b}", p.name);
        assert!(p.ess_tail.expect("ess") > 3000.0);
    }
    let t2 = &s.parameters[2];
    // theta[2] = 3 + 2 z: mean within 4 MCSE of 3, sd within 5% of 2, median near 3.
    assert!((t2.mean.unwrap() - 3.0).abs() < 4.0 * t2.mcse_mean.unwrap());
    assert!((t2.sd.unwrap() / 2.0 - 1.0).abs() < 0.05);
    let cols: Vec<&[f64]> = chains.iter().map(|c| c.column("theta[2]").expect("column")).collect();
    for (q, p, z) in [(t2.q5, 0.05, -1.6449), (t2.q50, 0.5, 0.0), (t2.q95, 0.95, 1.6449)] {
        let err = crate::diag::mcse_quantile(&cols, p);
        assert!((q.unwrap() - (3.0 + 2.0 * z)).abs() < 4.0 * err, "q{p}: {q:?} ± {err}");
    }
    assert_eq!(s.sampler.divergences, Some(0));
    assert_eq!(s.sampler.treedepth_saturated, Some(0));
    // iid energy: E-BFMI = mean((ΔE)²)/var(E) ≈ 2.
    for b in &s.sampler.e_bfmi {
        assert!((b.expect("defined") - 2.0).abs() < 0.2);
    }
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let table = s.to_table();
    assert!(table.contains("No problems detected"));
}

#[test]
fn problems_raise_each_warning() {
    let n = 500;
    let mut chains = good_chains(4, n);
    // Chain 4 is shifted: R-hat and ESS warnings.
    chains[3] = chain(9, n, normals(9, n).iter().map(|z| z + 3.0).collect(), normals(60, n), vec![0.0; n], vec![2.0; n]);
    // Divergences and tree-depth saturation in chain 1; random-walk energy (low E-BFMI) in chain 2.
    let mut div = vec![0.0; n];
    div[7] = 1.0;
    div[300] = 1.0;
    let mut depth = vec![2.0; n];
    depth[10] = 10.0;
    chains[0] = chain(0, n, normals(1, n), normals(50, n), div, depth);
    let mut walk = normals(70, n);
    for t in 1..n {
        walk[t] += walk[t - 1];
    }
    chains[1] = chain(1, n, normals(2, n), walk, vec![0.0; n], vec![2.0; n]);
    let s = summarize(&chains, &SamplerTotals::default()).expect("summary");
    let codes: Vec<&str> = s.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["rhat", "ess", "divergences", "e_bfmi", "treedepth"]);
    assert_eq!(s.sampler.divergences, Some(2));
    assert_eq!(s.sampler.treedepth_saturated, Some(1));
    let msg = |code: &str| s.warnings.iter().find(|w| w.code == code).expect("present").message.clone();
    assert!(msg("rhat").contains("theta[1]") && msg("rhat").contains("longer"));
    assert!(msg("divergences").contains("2 of 2000") && msg("divergences").contains("--adapt-delta"));
    assert!(msg("e_bfmi").contains("chain 2") && msg("e_bfmi").contains("non-centred"));
    assert!(msg("treedepth").contains("--max-depth"));
    assert!(msg("ess").contains("run longer") || msg("ess").contains("Run longer"));
    assert!(s.to_table().contains("Warnings:"));
}

#[test]
fn one_chain_has_null_rhat_and_a_note() {
    let s = summarize(&good_chains(1, 400), &SamplerTotals::default()).expect("summary");
    assert!(s.parameters.iter().all(|p| p.r_hat.is_none()));
    assert!(s.warnings.iter().any(|w| w.code == "single_chain"));
    let j = s.to_json();
    assert!(j["parameters"][1]["r_hat"].is_null());
    assert!(j["parameters"][1]["ess_bulk"].is_number());
    assert!(s.to_table().lines().any(|l| l.starts_with("theta[1]") && l.ends_with("NA")));
}

#[test]
fn json_shape() {
    let totals = SamplerTotals { warmup_per_chain: Some(1000), warmup_divergences: Some(3), gradient_evaluations: Some(12345), warmup_secs: Some(0.5), sampling_secs: Some(1.5), ..SamplerTotals::default() };
    let s = summarize(&good_chains(2, 200), &totals).expect("summary");
    let j = s.to_json();
    let params = j["parameters"].as_array().expect("array");
    assert_eq!(params.len(), 3);
    let keys: Vec<&str> = params[1].as_object().expect("object").keys().map(String::as_str).collect();
    for k in ["name", "mean", "sd", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat", "q5", "q50", "q95"] {
        assert!(keys.contains(&k), "missing {k}: {keys:?}");
    }
    assert_eq!(params[1]["name"], "theta[1]");
    let sp = &j["sampler"];
    assert_eq!(sp["chains"], 2);
    assert_eq!(sp["draws_per_chain"], 200);
    assert_eq!(sp["warmup_divergences"], 3);
    assert_eq!(sp["divergences"], 0);
    assert_eq!(sp["gradient_evaluations"], 12345);
    assert_eq!(sp["max_treedepth"], 10);
    assert_eq!(sp["e_bfmi"].as_array().map(Vec::len), Some(2));
    assert!(j["warnings"].is_array());
    // Numbers survive as numbers.
    assert_eq!(params[1]["mean"].as_f64(), s.parameters[1].mean);
}

#[test]
fn non_finite_draws_give_nulls_not_panics() {
    let mut chains = good_chains(2, 100);
    chains[1].columns[7][5] = f64::NAN;
    let s = summarize(&chains, &SamplerTotals::default()).expect("summary");
    let p = &s.parameters[1];
    assert_eq!((p.mean, p.sd, p.ess_bulk, p.r_hat, p.q50), (None, None, None, None, None));
    assert!(s.to_json()["parameters"][1]["mean"].is_null());
    assert!(s.to_table().contains("NA"));
}

#[test]
fn inconsistent_input_is_an_error() {
    assert!(summarize(&[], &SamplerTotals::default()).is_err());
    let mut c = good_chains(2, 50);
    c[1].names[8] = "other".into();
    assert!(summarize(&c, &SamplerTotals::default()).unwrap_err().contains("chain 2"));
    let mut c = good_chains(2, 50);
    c[1].columns[8].pop();
    assert!(summarize(&c, &SamplerTotals::default()).unwrap_err().contains("theta[2]"));
}

#[test]
fn table_is_aligned() {
    let s = summarize(&good_chains(2, 100), &SamplerTotals::default()).expect("summary");
    let t = s.to_table();
    let lines: Vec<&str> = t.lines().collect();
    let head = lines.iter().position(|l| l.trim_start().starts_with("Mean")).expect("header row");
    let width = lines[head].len();
    for l in &lines[head + 1..head + 4] {
        assert_eq!(l.len(), width, "row {l:?}");
    }
    assert!(lines[head].ends_with("R_hat"));
}
