//! End to end: draws → CmdStan CSV files (one per chain) → read back → summary,
//! identical to the summary of the draws themselves.

use exmc_report::csv::{read_cmdstan_csv, CsvWriter, Header, Metric};
use exmc_report::summary::{summarize, SamplerTotals};
use exmc_report::ChainDraws;

/// Deterministic uniform(0,1) stream (SplitMix64 on a scrambled seed).
fn uniforms(seed: u64, n: usize) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0xD129_0E29_C0F3_BC8D) ^ 0x5851_F42D_4C95_7F2D;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

/// AR(1) chain with coefficient `rho` and N(0,1) stationary law (Box–Muller innovations).
fn ar1(seed: u64, n: usize, rho: f64) -> Vec<f64> {
    let u = uniforms(seed, 2 * n);
    let mut x = Vec::with_capacity(n);
    let mut prev = 0.0;
    for i in 0..n {
        let z = (-2.0 * u[2 * i].max(1e-300).ln()).sqrt() * (2.0 * std::f64::consts::PI * u[2 * i + 1]).cos();
        prev = rho * prev + (1.0 - rho * rho).sqrt() * z;
        x.push(prev);
    }
    x
}

#[test]
fn csv_round_trip_gives_the_same_summary() {
    let (chains, warmup, draws) = (4, 50, 600);
    let dir = std::env::temp_dir().join(format!("exmc-report-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let names: Vec<String> = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "mu", "Sigma[1,1]", "Sigma[2,1]", "Sigma[1,2]", "Sigma[2,2]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut originals = Vec::new();
    let mut paths = Vec::new();
    for c in 0..chains {
        let total = warmup + draws;
        let mu = ar1(10 + c, total, 0.6);
        let s11 = ar1(20 + c, total, 0.95);
        let s21 = ar1(30 + c, total, 0.0);
        let energy = ar1(40 + c, total, 0.3);
        let u = uniforms(50 + c, total);
        let rows: Vec<Vec<f64>> = (0..total)
            .map(|i| {
                let div = if i == warmup + 17 && c == 2 { 1.0 } else { 0.0 };
                let depth = if u[i] < 0.01 { 10.0 } else { 3.0 };
                vec![-0.5 * mu[i] * mu[i], u[i], 0.4, depth, 2f64.powf(depth) - 1.0, div, energy[i], mu[i], s11[i].exp(), s21[i], s21[i], 1.0]
            })
            .collect();
        let header = Header { model: "mvn".into(), num_warmup: warmup, num_samples: draws, save_warmup: true, chain_id: c as usize + 1, num_chains: chains as usize, seed: 99, ..Header::default() };
        let path = dir.join(format!("mvn-{}.csv", c + 1));
        let mut w = CsvWriter::create(&path, &header).expect("create");
        w.write_column_names(&names).expect("names");
        for r in &rows[..warmup] {
            w.write_warmup_row(r).expect("warmup row");
        }
        w.write_adaptation(0.4, &Metric::Diag(vec![1.0, 2.0, 3.0, 4.0, 5.0])).expect("adapt");
        for r in &rows[warmup..] {
            w.write_row(r).expect("row");
        }
        w.finish(0.1 * (c + 1) as f64, 0.2).expect("finish");
        originals.push(ChainDraws::from_rows(names.clone(), &rows[warmup..]).expect("draws"));
        paths.push(path);
    }

    let files: Vec<_> = paths.iter().map(|p| read_cmdstan_csv(p).expect("read")).collect();
    let read: Vec<ChainDraws> = files.iter().map(|f| f.to_chain_draws()).collect();
    assert_eq!(read, originals, "draws and Stan names survive the CSV round trip");

    let totals = SamplerTotals::from_csv(&files);
    assert_eq!(totals.max_treedepth, 10);
    assert_eq!(totals.warmup_per_chain, Some(warmup));
    assert_eq!(totals.warmup_divergences, Some(0));
    assert_eq!(totals.warmup_secs, Some(0.4));
    let from_csv = summarize(&read, &totals).expect("summary");
    let direct = summarize(&originals, &totals).expect("summary");
    assert_eq!(from_csv, direct);

    let names: Vec<&str> = from_csv.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["lp__", "mu", "Sigma[1,1]", "Sigma[2,1]", "Sigma[1,2]", "Sigma[2,2]"]);
    // Sigma[2,2] is constant: ESS = number of draws (as ArviZ), R-hat undefined.
    let s22 = &from_csv.parameters[5];
    assert_eq!((s22.r_hat, s22.sd, s22.ess_bulk), (None, Some(0.0), Some((chains as usize * draws) as f64)));
    assert_eq!(from_csv.sampler.divergences, Some(1));
    let codes: Vec<&str> = from_csv.warnings.iter().map(|w| w.code).collect();
    assert!(codes.contains(&"divergences") && codes.contains(&"treedepth"), "{codes:?}");
    // mu is AR(0.6): bulk ESS ≈ N (1 − ρ)/(1 + ρ) = 600; Sigma[1,1] is AR(0.95): ESS ≈ 61.
    let mu = &from_csv.parameters[1];
    assert!((400.0..850.0).contains(&mu.ess_bulk.unwrap()), "{mu:?}");
    let s11 = &from_csv.parameters[2];
    assert!(s11.ess_bulk.unwrap() < 200.0);
    assert!(codes.contains(&"ess"));
    println!("{}", from_csv.to_table());
    let text = from_csv.to_json_string(false);
    assert!(text.starts_with(r#"{"parameters":[{"name":"lp__","mean":"#), "{}", &text[..60]);
    let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    // serde_json's default float parser may differ in the last bit; compare to 1e-14.
    assert!(close(&back, &from_csv.to_json()), "JSON text and value disagree");
    assert!(back["parameters"][5]["r_hat"].is_null());
}

fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            (x - y).abs() <= 1e-14 * x.abs().max(y.abs())
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(u, v)| close(u, v)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, u)| y.get(k).is_some_and(|v| close(u, v))),
        _ => a == b,
    }
}
