//! Run tests: files equal the returned draws, header and blocks, failure
//! isolation with hand-written densities, cancellation, bad settings.

use super::*;
use exmc_core::LogpError;
use exmc_nuts::{ChainStatus, Init, InvMetric, MetricKind};
use exmc_report::csv::{read_cmdstan_csv, CsvDraws, Metric};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// A fresh, empty temporary folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("exmc-run-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn config(dir: &Path, model: &str, warmup: usize, draws: usize) -> RunConfig {
    let mut c = RunConfig::new(model);
    c.settings = Settings { num_warmup: warmup, num_draws: draws, chains: 2, seed: 7, ..Settings::default() };
    c.output_dir = Some(dir.to_path_buf());
    c
}

/// Rows of a `ChainDraws` (iteration-major).
fn rows(d: &exmc_report::ChainDraws) -> Vec<Vec<f64>> {
    (0..d.num_draws()).map(|i| d.columns.iter().map(|c| c[i]).collect()).collect()
}

fn same_bits(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| x.len() == y.len() && x.iter().zip(y).all(|(u, v)| u.to_bits() == v.to_bits()))
}

fn read(out: &RunOutput, chain: usize) -> CsvDraws {
    read_cmdstan_csv(out.chains[chain].file.as_ref().unwrap()).unwrap()
}

#[test]
fn files_hold_exactly_the_returned_draws_with_header_adaptation_and_timing() {
    let dir = tmp("stream");
    let compiled = crate::bench_models::by_name("eight_schools").unwrap().compile().unwrap();
    let mut cfg = config(&dir, "eight_schools", 150, 100);
    cfg.settings.save_warmup = true;
    cfg.extra_header.push(("noncentre".into(), "1".into()));
    let out = run(&compiled, &cfg, None, None).unwrap();
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let names = compiled.output_names();
    for c in 0..2 {
        let ch = &out.chains[c];
        assert_eq!(ch.status, ChainStatus::Completed);
        assert_eq!(ch.file.as_deref(), Some(dir.join(format!("eight_schools_{}.csv", c + 1)).as_path()));
        let f = read(&out, c);
        // cmdstanpy takes the last `metric =` comment as CmdStan's metric: only one.
        let text = std::fs::read_to_string(ch.file.as_ref().unwrap()).unwrap();
        let metric_lines: Vec<&str> = text.lines().filter(|l| l.starts_with('#') && l.contains("metric =")).collect();
        assert_eq!(metric_lines.len(), 1, "{metric_lines:?}");
        // Columns: 7 sampler columns in CmdStan's order, then outputs in CSV form.
        assert_eq!(&f.column_names[..7], &exmc_nuts::DrawStats::NAMES.map(String::from)[..]);
        assert_eq!(f.column_names.len(), 7 + names.len());
        assert!(f.column_names.contains(&"theta.1".to_string()), "{:?}", f.column_names);
        assert_eq!(ch.draws.names[7..], names[..]);
        // Every row, bit for bit (round-trip formatting), warmup included.
        assert_eq!(f.draws.len(), 100);
        assert_eq!(f.warmup.len(), 150);
        assert!(same_bits(&f.draws, &rows(&ch.draws)));
        assert!(same_bits(&f.warmup, &rows(ch.warmup.as_ref().unwrap())));
        // Adaptation block = the sampler's adapted values; timing block present.
        assert_eq!(f.step_size, Some(ch.step_size));
        match (&f.inv_metric, &ch.inv_metric) {
            (Some(Metric::Diag(a)), Some(InvMetric::Diag(b))) => assert_eq!(a, b),
            other => panic!("metric {other:?}"),
        }
        let t = f.timing.expect("timing block");
        assert!(t.total > 0.0 && (t.warmup - ch.warmup_seconds).abs() < 1e-5 * (1.0 + ch.warmup_seconds));
        // Header: model, seed, chain id, settings, exmc section.
        assert_eq!(f.config.model.as_deref(), Some("eight_schools"));
        assert_eq!(f.config.seed, Some(7));
        assert_eq!(f.config.chain_id, Some(c + 1));
        assert_eq!((f.config.num_warmup, f.config.num_samples), (Some(150), Some(100)));
        assert!(f.config.save_warmup);
        assert_eq!(f.config.adapt_delta, Some(0.8));
        assert_eq!(f.config.get("exmc_version"), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(f.config.get("exmc.precision"), Some("f64"));
        assert_eq!(f.config.get("exmc.noncentre"), Some("1"));
        assert_eq!(f.config.get("num_chains"), Some("2"));
        // The sampler columns agree with the sampler's own divergence count.
        let div = ch.draws.column("divergent__").unwrap().iter().filter(|&&d| d != 0.0).count();
        assert_eq!(div, ch.divergences_sampling);
    }
    let t = &out.totals;
    assert_eq!(t.sampling_divergences, Some(out.chains.iter().map(|c| c.divergences_sampling).sum()));
    assert_eq!(t.gradient_evaluations, Some(out.chains.iter().map(|c| c.grad_evals).sum()));
    let s = out.summary().unwrap();
    assert_eq!(s.sampler.chains, 2);
    assert_eq!(s.sampler.draws_per_chain, 100);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn constrained_outputs_are_on_the_constrained_scale_and_f32_runs() {
    // eight_schools' tau is positive: its column must be > 0 in the file even
    // though the sampler moves on log(tau).
    let dir = tmp("f32");
    let compiled = crate::bench_models::by_name("eight_schools").unwrap().compile().unwrap();
    let mut cfg = config(&dir, "eight_schools", 100, 50);
    cfg.precision = ModelPrecision::F32;
    cfg.sig_figs = Some(6);
    cfg.settings.metric = MetricKind::Dense;
    let out = run(&compiled, &cfg, None, None).unwrap();
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let f = read(&out, 0);
    let tau = f.column("tau").unwrap();
    assert!(tau.iter().all(|&t| t > 0.0));
    assert_eq!(f.config.get("exmc.precision"), Some("f32"));
    assert_eq!(f.config.metric.as_deref(), Some("dense_e"));
    assert!(matches!(f.inv_metric, Some(Metric::Dense { .. })));
    // 6 significant digits: the file is the returned value rounded.
    let mem = out.chains[0].draws.column("tau").unwrap();
    for (a, b) in tau.iter().zip(mem) {
        assert!((a - b).abs() <= 5e-6 * b.abs(), "{a} vs {b}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// N(0, I) in 2-d that turns bad after `fail_after` evaluations: a fatal
/// error, a panic, or a cancel request.
struct Breaks<'a> {
    fail_after: Option<usize>,
    how: &'static str,
    evals: usize,
    cancel: Option<&'a AtomicBool>,
    /// How many chains have passed `fail_after` (cancel mode: the last one cancels).
    passed: Option<&'a std::sync::atomic::AtomicUsize>,
}

impl exmc_core::LogDensity<f64> for Breaks<'_> {
    fn dim(&self) -> usize {
        2
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        self.evals += 1;
        if self.fail_after.is_some_and(|n| self.evals > n) {
            match self.how {
                "fatal" => return Err(LogpError::fatal("the model broke")),
                "panic" => panic!("the model panicked"),
                _ => {
                    let first_time = self.fail_after == Some(self.evals - 1);
                    if let (Some(c), Some(p), true) = (self.cancel, self.passed, first_time) {
                        if p.fetch_add(1, Ordering::Relaxed) + 1 == 2 {
                            c.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
        }
        g[0] = -x[0];
        g[1] = -x[1];
        Ok(-0.5 * (x[0] * x[0] + x[1] * x[1]))
    }
}

fn names2() -> Vec<String> {
    vec!["x[1]".into(), "x[2]".into()]
}

#[test]
fn a_failing_chain_keeps_its_rows_and_the_others_finish() {
    for how in ["fatal", "panic"] {
        let dir = tmp(how);
        let mut cfg = config(&dir, "breaks", 100, 200);
        cfg.settings.chains = 3;
        // Chain 1 breaks well into sampling (warmup takes ~ a few hundred evals).
        let factory =
            |c: usize| Breaks { fail_after: (c == 1).then_some(1000), how, evals: 0, cancel: None, passed: None };
        let out = run_with(&names2(), factory, |_| Identity, &cfg, None, None).unwrap();
        assert_eq!(out.failures.len(), 1, "{how}: {:?}", out.failures);
        assert_eq!(out.failures[0].0, 1);
        let expect = if how == "fatal" { "the model broke" } else { "the model panicked" };
        assert!(out.failures[0].1.contains(expect), "{}", out.failures[0].1);
        for c in [0, 2] {
            assert_eq!(out.chains[c].status, ChainStatus::Completed);
            assert_eq!(out.chains[c].draws.num_draws(), 200);
        }
        let broken = &out.chains[1];
        let f = read(&out, 1);
        let n = broken.draws.num_draws();
        assert!(n > 0 && n < 200, "{how}: chain 1 made {n} draws");
        assert!(same_bits(&f.draws, &rows(&broken.draws)), "{how}");
        assert!(f.timing.is_some());
        // Identity outputs: the output columns are the unconstrained position.
        assert_eq!(f.column_names[7..], ["x.1".to_string(), "x.2".to_string()]);
        // The summary uses the two good chains only, in full.
        let s = out.summary().unwrap();
        assert_eq!((s.sampler.chains, s.sampler.draws_per_chain), (2, 200));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn cancelling_stops_every_chain_with_valid_files_and_a_summary_of_what_was_drawn() {
    let dir = tmp("cancel");
    let cancel = AtomicBool::new(false);
    let mut cfg = config(&dir, "breaks", 50, 100_000);
    cfg.settings.chains = 2;
    cfg.settings.threads = 2;
    // Cancel once both chains are well past warmup (2000 evaluations each),
    // whatever the thread timing.
    let passed = std::sync::atomic::AtomicUsize::new(0);
    let factory = |_c: usize| Breaks {
        fail_after: Some(2000),
        how: "cancel",
        evals: 0,
        cancel: Some(&cancel),
        passed: Some(&passed),
    };
    let progress = Progress::new(2);
    let out = run_with(&names2(), factory, |_| Identity, &cfg, Some(&cancel), Some(&progress)).unwrap();
    assert!(out.cancelled());
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    for c in 0..2 {
        assert_eq!(out.chains[c].status, ChainStatus::Cancelled);
        let f = read(&out, c);
        assert!(same_bits(&f.draws, &rows(&out.chains[c].draws)));
        assert!(f.draws.len() < 100_000);
        assert_eq!(progress.snapshot()[c].phase, exmc_nuts::ChainPhase::Cancelled);
    }
    let n = out.chains.iter().map(|c| c.draws.num_draws()).min().unwrap();
    assert!(n > 0);
    let s = out.summary().unwrap();
    assert_eq!((s.sampler.chains, s.sampler.draws_per_chain), (2, n));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_chain_that_cannot_start_is_a_failure_with_an_empty_valid_file() {
    let dir = tmp("noinit");
    let mut cfg = config(&dir, "breaks", 50, 50);
    cfg.settings.init = Init::PerChain(vec![vec![0.0, 0.0], vec![f64::MAX.sqrt() * 10.0, 0.0]]);
    // The second point overflows logp to -inf: chain 2 cannot initialise.
    let out = run_with(
        &names2(),
        |_| Breaks { fail_after: None, how: "", evals: 0, cancel: None, passed: None },
        |_| Identity,
        &cfg,
        None,
        None,
    )
    .unwrap();
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].0, 1);
    assert!(out.failures[0].1.contains("initial point"), "{}", out.failures[0].1);
    let f = read(&out, 1);
    assert!(f.draws.is_empty() && f.step_size.is_none());
    assert_eq!(out.summary().unwrap().sampler.chains, 1);
}

#[test]
fn bad_settings_and_unwritable_output_are_errors_before_sampling() {
    let dir = tmp("bad");
    let compiled = crate::bench_models::by_name("simple").unwrap().compile().unwrap();
    let mut cfg = config(&dir, "simple", 10, 10);
    cfg.settings.chains = 0;
    let e = run(&compiled, &cfg, None, None).unwrap_err();
    assert!(matches!(&e, RunError::Settings(m) if m.contains("chains")), "{e}");
    cfg.settings.chains = 1;
    cfg.settings.target_accept = 1.5;
    let e = run(&compiled, &cfg, None, None).unwrap_err();
    assert!(matches!(&e, RunError::Settings(m) if m.contains("target_accept")), "{e}");
    cfg.settings.target_accept = 0.8;
    cfg.sig_figs = Some(0);
    assert!(matches!(run(&compiled, &cfg, None, None), Err(RunError::Settings(_))));
    cfg.sig_figs = None;
    // The output "folder" is a file.
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    std::fs::write(&dir, "not a folder").unwrap();
    let e = run(&compiled, &cfg, None, None).unwrap_err();
    assert!(matches!(&e, RunError::Output(m) if m.contains(&dir.display().to_string())), "{e}");
    let _ = std::fs::remove_file(&dir);
    // No output folder: no files, same draws in memory.
    cfg.output_dir = None;
    let out = run(&compiled, &cfg, None, None).unwrap();
    assert!(out.chains[0].file.is_none() && out.chains[0].draws.num_draws() == 10);
}

/// Outputs `x[1]`, then fails on the second output when `x[1] > 0` (as a
/// generated quantity that rejects some draws).
struct FailsAfterFirst;

impl Constrain for FailsAfterFirst {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError> {
        out.clear();
        out.push(x[0]);
        if x[0] > 0.0 {
            return Err(LogpError::recoverable("the generated quantity rejected"));
        }
        out.push(x[1]);
        Ok(())
    }
}

#[test]
fn an_output_that_fails_keeps_the_values_before_it_and_is_reported() {
    let dir = tmp("gq-fails");
    let cfg = config(&dir, "gq", 100, 200);
    let factory = |_| Breaks { fail_after: None, how: "", evals: 0, cancel: None, passed: None };
    let out = run_with(&names2(), factory, |_| FailsAfterFirst, &cfg, None, None).unwrap();
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("the generated quantity rejected"), "{}", out.warnings[0]);
    for ch in &out.chains {
        let (x1, x2) = (&ch.draws.columns[7], &ch.draws.columns[8]);
        assert!(x1.iter().all(|v| v.is_finite()), "the first output is kept");
        for (a, b) in x1.iter().zip(x2) {
            assert_eq!(*a > 0.0, b.is_nan(), "x[1] = {a}, x[2] = {b}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
