//! The benchmark posteriors agree with the Stan / exact references in
//! `../shared/bench-models/reference/` within 4 MCSE (means and sds), with 4
//! chains × 1000 draws, fixed seeds; eight schools and the funnel are
//! compiled with the non-centring rewrite, the others as specified.

use exmc::bench_models;
use exmc::report::diag;
use exmc::run::{run, RunConfig};
use serde_json::Value;

fn reference(name: &str) -> Value {
    let path = format!("{}/../../../shared/bench-models/reference/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("shared reference")).unwrap()
}

/// Returns the worst |z| of means and of sds.
fn check(name: &str, seed: u64, check_sd: impl Fn(&str) -> bool) -> (f64, f64) {
    let noncentre = matches!(name, "eight_schools" | "funnel");
    let compiled = bench_models::by_name(name).unwrap().compile_with(&exmc::CompileOptions { noncentre }).unwrap();
    let mut config = RunConfig::new(name);
    config.settings.seed = seed;
    let out = run(&compiled, &config, None, None).unwrap();
    assert!(out.failures.is_empty(), "{name}: {:?}", out.failures);
    // Divergences are reported; a handful (< 0.25% of draws) can occur in a
    // correct run, more means the geometry defeats the sampler.
    let div = out.totals.sampling_divergences.unwrap_or(0);
    eprintln!("{name} seed {seed}: {div} post-warmup divergences");
    assert!(div < 10, "{name} seed {seed}: {div} post-warmup divergences");
    let refj = reference(name);
    let chains = out.summary_chains();
    let (mut worst_mean, mut worst_sd) = (0.0f64, 0.0f64);
    for p in refj["parameter_names"].as_array().unwrap() {
        let p = p.as_str().unwrap();
        let cols: Vec<&[f64]> = chains.iter().map(|c| c.column(p).expect(p)).collect();
        let n: f64 = cols.iter().map(|c| c.len() as f64).sum();
        let mean = cols.iter().flat_map(|c| c.iter()).sum::<f64>() / n;
        let sd = (cols.iter().flat_map(|c| c.iter()).map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let (ref_mean, ref_sd) = (refj["mean"][p].as_f64().unwrap(), refj["sd"][p].as_f64().unwrap());
        let ref_mcse = refj["posteriordb_summary"]["mcse_mean"][p].as_f64().unwrap();
        let z = (mean - ref_mean) / (diag::mcse_mean(&cols).powi(2) + ref_mcse.powi(2)).sqrt();
        worst_mean = worst_mean.max(z.abs());
        assert!(z.abs() < 4.0, "{name} seed {seed}: mean of {p} = {mean}, reference {ref_mean}, z = {z:.2}");
        if check_sd(p) {
            // The reference sd comes from ~10 000 nearly independent draws.
            let ref_sd_mcse = ref_sd / (2.0 * 9000.0f64).sqrt();
            let z = (sd - ref_sd) / (diag::mcse_sd(&cols).powi(2) + ref_sd_mcse.powi(2)).sqrt();
            worst_sd = worst_sd.max(z.abs());
            assert!(z.abs() < 4.0, "{name} seed {seed}: sd of {p} = {sd}, reference {ref_sd}, z = {z:.2}");
        }
    }
    (worst_mean, worst_sd)
}

#[test]
fn simple_medium_stress_logistic() {
    for name in ["simple", "medium", "stress", "logistic"] {
        for seed in [11, 12] {
            let (m, s) = check(name, seed, |_| true);
            eprintln!("{name} seed {seed}: max |z| mean {m:.2}, sd {s:.2}");
        }
    }
}

#[test]
fn eight_schools_and_funnel_non_centred() {
    // With the compiler's non-centring both funnels are easy. Their scale
    // draws are heavy-tailed, and so is the square of everything they
    // scale (eight schools' tau and theta[j] = mu + tau eta[j], the funnel's
    // x[k]): the MCSE of an sd assumes a finite fourth moment and is too
    // small there (a scan of seeds 21-32 gave eight-schools sd |z| up to 4.3
    // while every mean stayed below 2.8), so only the sd of the light-tailed
    // location (mu, y) is compared.
    let (m, s) = check("eight_schools", 21, |p| p == "mu");
    eprintln!("eight_schools: max |z| mean {m:.2}, sd {s:.2}");
    let (m, s) = check("funnel", 21, |p| p == "y");
    eprintln!("funnel: max |z| mean {m:.2}, sd {s:.2}");
}

#[test]
fn stochastic_volatility() {
    let (m, s) = check("sv", 31, |_| true);
    eprintln!("sv: max |z| mean {m:.2}, sd {s:.2}");
}
