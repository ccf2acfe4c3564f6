//! The benchmark suite: the seven [`crate::bench_models`] sampled with the
//! peers' protocol (`shared/peers/RESULTS.md`), scored the same way, and
//! set next to the peers' numbers.
//!
//! Per model × precision × seed ([`RunResult`]):
//! * setup: `by_name` + `compile_with` (ms);
//! * sampling wall time: the whole `exmc_nuts::sample` call, warmup + draws
//!   (what the peers time: e.g. the `nutpie.sample` call);
//! * gradient evaluations: leapfrog steps, warmup + draws (`n_leapfrog__`
//!   summed, as the peers count `n_steps`);
//! * min bulk / tail ESS over every constrained output (ArviZ's
//!   rank-normalised ESS, [`exmc_report::diag`]), on the constrained draws;
//! * ESS/s = min bulk ESS / sampling seconds; grad/s = leapfrog steps / s;
//! * divergences during sampling (warmup's apart);
//! * agreement with the reference posterior ([`reference`]).
//!
//! [`BenchReport`] holds every run, the medians over seeds, and the peers'
//! medians; [`BenchReport::to_table`] prints it as Markdown.

pub mod hand;
pub mod peers;
pub mod reference;
mod table;

pub use table::{compare_table, fmt_num};

use crate::bench_models;
use exmc_core::{LogDensity, Widen};
use exmc_model::CompileOptions;
use exmc_nuts::{MetricKind, RunOptions, SampleOutput, Settings};
use exmc_report::diag::{ess_bulk, ess_tail};
use peers::PeerMedian;
use reference::{Agreement, Reference};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Floating-point precision of the compiled log density.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    F64,
    F32,
}

impl Precision {
    pub fn name(self) -> &'static str {
        match self {
            Precision::F64 => "f64",
            Precision::F32 => "f32",
        }
    }
}

/// The name of a metric as the CLI spells it.
pub fn metric_name(m: MetricKind) -> &'static str {
    match m {
        MetricKind::Diag => "diag",
        MetricKind::Dense => "dense",
        MetricKind::GradDiag => "grad-diag",
    }
}

/// Parses `diag`, `dense` or `grad-diag`.
pub fn parse_metric(s: &str) -> Result<MetricKind, String> {
    match s {
        "diag" => Ok(MetricKind::Diag),
        "dense" => Ok(MetricKind::Dense),
        "grad-diag" | "grad_diag" => Ok(MetricKind::GradDiag),
        _ => Err(format!("unknown metric '{s}' (expected diag, dense or grad-diag)")),
    }
}

/// What to run. The defaults are the peers' protocol.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Model names (default: all seven, [`bench_models::NAMES`]).
    pub models: Vec<String>,
    /// One run per seed (default 1, 2, 3 as the peers).
    pub seeds: Vec<u64>,
    /// Chains per run (1; the peers' 4-chain mode runs 4 on 2 cores).
    pub chains: usize,
    /// Worker threads (0 = `min(chains, cores)`).
    pub threads: usize,
    pub num_warmup: usize,
    pub num_draws: usize,
    pub target_accept: f64,
    pub max_depth: usize,
    pub precisions: Vec<Precision>,
    pub metric: MetricKind,
    /// Compile with the non-centring rewrite (our default). `false` samples
    /// the same parameterisation as the peers.
    pub noncentre: bool,
    /// The peers' `results.csv` (`None`: no peer columns).
    pub peers_csv: Option<PathBuf>,
    /// Folder of reference posteriors `MODEL.json` (`None`: no agreement column).
    pub reference_dir: Option<PathBuf>,
    /// Print one line per run to stderr as it finishes.
    pub verbose: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            models: bench_models::NAMES.iter().map(|s| s.to_string()).collect(),
            seeds: vec![1, 2, 3],
            chains: 1,
            threads: 0,
            num_warmup: 1000,
            num_draws: 1000,
            target_accept: 0.8,
            max_depth: 10,
            precisions: vec![Precision::F64, Precision::F32],
            metric: MetricKind::Diag,
            noncentre: true,
            peers_csv: None,
            reference_dir: None,
            verbose: false,
        }
    }
}

impl BenchOptions {
    /// The shared folders next to this checkout (`../shared/peers/results.csv`,
    /// `../shared/bench-models/reference`), where they exist.
    pub fn with_shared_defaults(mut self) -> Self {
        let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
        let csv = shared.join("peers/results.csv");
        if self.peers_csv.is_none() && csv.is_file() {
            self.peers_csv = Some(csv);
        }
        let refs = shared.join("bench-models/reference");
        if self.reference_dir.is_none() && refs.is_dir() {
            self.reference_dir = Some(refs);
        }
        self
    }
}

/// One run: one model, precision and seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult {
    pub model: String,
    pub precision: Precision,
    pub seed: u64,
    pub chains: usize,
    pub dim: usize,
    pub setup_ms: f64,
    /// Wall time of the `sample` call (warmup + draws, all chains).
    pub sample_ms: f64,
    /// CPU time of the sampling (all chains), where the OS tells it. Less
    /// sensitive than wall time to other work on the machine.
    pub cpu_ms: Option<f64>,
    /// Leapfrog steps, warmup + draws, all chains.
    pub grad_evals: u64,
    pub divergences: usize,
    pub warmup_divergences: usize,
    pub min_ess_bulk: f64,
    pub min_ess_tail: f64,
    pub ess_per_s: f64,
    /// Min bulk ESS per CPU second.
    pub ess_per_cpu_s: Option<f64>,
    pub grad_per_s: f64,
    /// The output with the smallest bulk ESS.
    pub worst_param: String,
    /// Mean step size after warmup over the chains.
    pub step_size: f64,
    pub agreement: Option<Agreement>,
    /// 1-minute load average after the run (`/proc/loadavg`).
    pub loadavg_after: Option<f64>,
    /// Why the run failed (a chain failed, or constraining a draw failed).
    pub failure: Option<String>,
}

/// Medians over the seeds of one model × precision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub model: String,
    pub precision: Precision,
    pub dim: usize,
    pub runs: usize,
    pub failed_runs: usize,
    pub setup_ms: f64,
    pub sample_ms: f64,
    /// Median CPU ms (NaN where unknown).
    pub cpu_ms: f64,
    pub grad_evals: f64,
    pub divergences: f64,
    pub warmup_divergences: f64,
    /// Total sampling divergences over all seeds.
    pub divergences_total: usize,
    pub min_ess_bulk: f64,
    pub min_ess_tail: f64,
    pub ess_per_s: f64,
    /// Median of min bulk ESS per CPU second (NaN where unknown).
    pub ess_per_cpu_s: f64,
    pub grad_per_s: f64,
    /// The worst parameter of the run with the median min bulk ESS.
    pub worst_param: String,
    pub max_abs_z_mean: Option<f64>,
    pub max_abs_z_sd: Option<f64>,
    /// The worst |z| over all seeds, with the quantity.
    pub worst_z: Option<(f64, String)>,
}

/// Everything a benchmark run produced.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    pub chains: usize,
    pub seeds: Vec<u64>,
    pub num_warmup: usize,
    pub num_draws: usize,
    pub target_accept: f64,
    pub max_depth: usize,
    pub metric: String,
    pub noncentre: bool,
    pub runs: Vec<RunResult>,
    pub summaries: Vec<Summary>,
    /// The peers' medians for the same chain count.
    pub peers: Vec<PeerMedian>,
    pub loadavg_before: Option<f64>,
}

/// The median (mean of the two middle values for an even count); NaN for none.
/// NaN values sort last.
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// The 1-minute load average, where the system tells it.
pub fn loadavg() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// Runs the suite.
pub fn run(opts: &BenchOptions) -> Result<BenchReport, String> {
    if opts.models.is_empty() || opts.seeds.is_empty() || opts.precisions.is_empty() {
        return Err("nothing to run: models, seeds and precisions must be non-empty".into());
    }
    for m in &opts.models {
        if !bench_models::NAMES.contains(&m.as_str()) {
            return Err(format!("unknown benchmark model '{m}' (known: {})", bench_models::NAMES.join(", ")));
        }
    }
    let peer_medians = match &opts.peers_csv {
        Some(p) => peers::medians(&peers::read_csv(p)?).into_iter().filter(|p| p.chains == opts.chains).collect(),
        None => Vec::new(),
    };
    let loadavg_before = loadavg();
    let mut runs = Vec::new();
    let mut summaries = Vec::new();
    for model in &opts.models {
        let reference = match &opts.reference_dir {
            Some(dir) => Some(Reference::load(dir, model)?),
            None => None,
        };
        for &precision in &opts.precisions {
            let mut these = Vec::new();
            for &seed in &opts.seeds {
                let r = run_one(opts, model, precision, seed, reference.as_ref())?;
                if opts.verbose {
                    eprintln!(
                        "{:>13} {} seed {:>3}: {:>9.1} ms, {:>8} grads, ESS {:>7.1} ({:>9.1}/s), div {:>3}, max|z| {}{}",
                        r.model,
                        r.precision.name(),
                        r.seed,
                        r.sample_ms,
                        r.grad_evals,
                        r.min_ess_bulk,
                        r.ess_per_s,
                        r.divergences,
                        r.agreement.as_ref().map_or("-".into(), |a| format!("{:.2}", a.max_abs_z_mean)),
                        r.failure.as_ref().map_or(String::new(), |f| format!("  FAILED: {f}")),
                    );
                }
                these.push(r);
            }
            summaries.push(summarise(&these));
            runs.extend(these);
        }
    }
    Ok(BenchReport {
        chains: opts.chains,
        seeds: opts.seeds.clone(),
        num_warmup: opts.num_warmup,
        num_draws: opts.num_draws,
        target_accept: opts.target_accept,
        max_depth: opts.max_depth,
        metric: metric_name(opts.metric).into(),
        noncentre: opts.noncentre,
        runs,
        summaries,
        peers: peer_medians,
        loadavg_before,
    })
}

fn run_one(
    opts: &BenchOptions,
    model: &str,
    precision: Precision,
    seed: u64,
    reference: Option<&Reference>,
) -> Result<RunResult, String> {
    let t_setup = Instant::now();
    let m = bench_models::by_name(model).map_err(|e| format!("{model}: {e}"))?;
    let compiled = m.compile_with(&CompileOptions { noncentre: opts.noncentre }).map_err(|e| format!("{model}: {e}"))?;
    let setup_ms = t_setup.elapsed().as_secs_f64() * 1e3;

    let settings = Settings {
        num_warmup: opts.num_warmup,
        num_draws: opts.num_draws,
        chains: opts.chains,
        seed,
        target_accept: opts.target_accept,
        max_depth: opts.max_depth,
        metric: opts.metric,
        save_warmup: true,
        threads: opts.threads,
        ..Settings::default()
    };
    let (out, sample_s, cpu_s) = match precision {
        Precision::F64 => {
            let proto = compiled.density::<f64>();
            timed_sample(&settings, |_| proto.clone())?
        }
        Precision::F32 => {
            let proto = compiled.density::<f32>();
            timed_sample(&settings, |_| Widen::new(proto.clone()))?
        }
    };

    let names = compiled.output_names();
    let done: Vec<_> = out.chains.iter().filter(|c| c.is_completed()).collect();
    let failure = (!out.all_completed()).then(|| {
        out.failures().iter().map(|(c, m)| format!("chain {c}: {m}")).collect::<Vec<_>>().join("; ")
    });
    let leapfrogs = |s: &[exmc_nuts::DrawStats]| s.iter().map(|d| d.n_leapfrog).sum::<u64>();
    let grad_evals: u64 = out.chains.iter().map(|c| leapfrogs(&c.stats) + leapfrogs(&c.warmup_stats)).sum();
    let mut r = RunResult {
        model: model.into(),
        precision,
        seed,
        chains: opts.chains,
        dim: compiled.dim(),
        setup_ms,
        sample_ms: sample_s * 1e3,
        cpu_ms: cpu_s.map(|c| c * 1e3),
        grad_evals,
        divergences: out.chains.iter().map(|c| c.divergences_sampling).sum(),
        warmup_divergences: out.chains.iter().map(|c| c.divergences_warmup).sum(),
        min_ess_bulk: f64::NAN,
        min_ess_tail: f64::NAN,
        ess_per_s: f64::NAN,
        ess_per_cpu_s: None,
        grad_per_s: grad_evals as f64 / sample_s,
        worst_param: String::new(),
        step_size: done.iter().map(|c| c.step_size).sum::<f64>() / done.len().max(1) as f64,
        agreement: None,
        loadavg_after: loadavg(),
        failure,
    };
    if done.is_empty() {
        return Ok(r);
    }

    // Constrained draws, columns[j][chain][draw].
    let mut dens = compiled.density::<f64>();
    let mut columns: Vec<Vec<Vec<f64>>> = vec![Vec::with_capacity(done.len()); names.len()];
    let mut row = Vec::with_capacity(names.len());
    for c in &done {
        for col in columns.iter_mut() {
            col.push(Vec::with_capacity(c.num_draws()));
        }
        for i in 0..c.num_draws() {
            if let Err(e) = dens.constrain(c.draw(i), &mut row) {
                r.failure = Some(format!("constraining draw {i} of chain {}: {e}", c.chain));
                return Ok(r);
            }
            for (j, v) in row.iter().enumerate() {
                columns[j].last_mut().expect("pushed above").push(*v);
            }
        }
    }
    let (mut min_bulk, mut min_tail) = (f64::INFINITY, f64::INFINITY);
    for (j, col) in columns.iter().enumerate() {
        let chains: Vec<&[f64]> = col.iter().map(|c| c.as_slice()).collect();
        let (b, t) = (ess_bulk(&chains), ess_tail(&chains));
        // NaN (non-finite draws) is the worst and stays.
        if lower(b, min_bulk) {
            min_bulk = b;
            r.worst_param = names[j].clone();
        }
        if lower(t, min_tail) {
            min_tail = t;
        }
    }
    r.min_ess_bulk = min_bulk;
    r.min_ess_tail = min_tail;
    r.ess_per_s = min_bulk / sample_s;
    r.ess_per_cpu_s = cpu_s.map(|c| min_bulk / c);
    if let Some(reference) = reference {
        r.agreement = Some(reference.compare(&names, &columns).map_err(|e| format!("{model}: {e}"))?);
    }
    Ok(r)
}

/// Whether `x` is below the current minimum, NaN counting as the lowest.
fn lower(x: f64, current: f64) -> bool {
    !current.is_nan() && (x.is_nan() || x < current)
}

/// Runs the sampler; returns its output, the wall seconds and the CPU
/// seconds it used. One chain runs on the calling thread (the driver would
/// give it a thread of its own: same draws, as a chain depends only on
/// `(seed, chain)`), so its CPU time is the thread's; several chains go
/// through the driver and their CPU time is the process's ([`crate::cpu_time`]).
fn timed_sample<D, F>(settings: &Settings, factory: F) -> Result<(SampleOutput, f64, Option<f64>), String>
where
    D: LogDensity<f64>,
    F: Fn(usize) -> D + Sync,
{
    if settings.chains == 1 {
        let cpu0 = crate::cpu_time::thread_seconds();
        let t = Instant::now();
        let mut out = exmc_nuts::ChainResult::new(0, 0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            exmc_nuts::chain::run_chain(factory(0), settings, 0, exmc_nuts::chain::ChainHooks::default(), &mut out)
        }));
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu0.zip(crate::cpu_time::thread_seconds()).map(|(a, b)| b - a);
        if caught.is_err() {
            out.status = exmc_nuts::ChainStatus::Failed("chain 0 panicked".into());
        }
        return Ok((SampleOutput { chains: vec![out] }, wall, cpu));
    }
    let cpu0 = crate::cpu_time::process_seconds();
    let t = Instant::now();
    let out = exmc_nuts::sample(settings, factory, RunOptions::default()).map_err(|e| e.to_string())?;
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu0.zip(crate::cpu_time::process_seconds()).map(|(a, b)| b - a);
    Ok((out, wall, cpu))
}

fn summarise(runs: &[RunResult]) -> Summary {
    let first = &runs[0];
    let med = |f: fn(&RunResult) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
    let min_ess_bulk = med(|r| r.min_ess_bulk);
    // The run whose min bulk ESS is closest to the median names the worst parameter.
    let typical = runs
        .iter()
        .min_by(|a, b| (a.min_ess_bulk - min_ess_bulk).abs().total_cmp(&(b.min_ess_bulk - min_ess_bulk).abs()))
        .unwrap_or(first);
    let zs: Vec<&Agreement> = runs.iter().filter_map(|r| r.agreement.as_ref()).collect();
    let worst_z = zs
        .iter()
        .flat_map(|a| [(a.max_abs_z_mean, format!("mean {}", a.worst_mean)), (a.max_abs_z_sd, format!("sd {}", a.worst_sd))])
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Summary {
        model: first.model.clone(),
        precision: first.precision,
        dim: first.dim,
        runs: runs.len(),
        failed_runs: runs.iter().filter(|r| r.failure.is_some()).count(),
        setup_ms: med(|r| r.setup_ms),
        sample_ms: med(|r| r.sample_ms),
        cpu_ms: med(|r| r.cpu_ms.unwrap_or(f64::NAN)),
        grad_evals: med(|r| r.grad_evals as f64),
        divergences: med(|r| r.divergences as f64),
        warmup_divergences: med(|r| r.warmup_divergences as f64),
        divergences_total: runs.iter().map(|r| r.divergences).sum(),
        min_ess_bulk,
        min_ess_tail: med(|r| r.min_ess_tail),
        ess_per_s: med(|r| r.ess_per_s),
        ess_per_cpu_s: med(|r| r.ess_per_cpu_s.unwrap_or(f64::NAN)),
        grad_per_s: med(|r| r.grad_per_s),
        worst_param: typical.worst_param.clone(),
        max_abs_z_mean: (!zs.is_empty()).then(|| median(&zs.iter().map(|a| a.max_abs_z_mean).collect::<Vec<_>>())),
        max_abs_z_sd: (!zs.is_empty()).then(|| median(&zs.iter().map(|a| a.max_abs_z_sd).collect::<Vec<_>>())),
        worst_z,
    }
}

impl BenchReport {
    /// The summary of `model` in `precision`, if it was run.
    pub fn summary(&self, model: &str, precision: Precision) -> Option<&Summary> {
        self.summaries.iter().find(|s| s.model == model && s.precision == precision)
    }

    /// The whole report as pretty JSON (NaN becomes `null`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_even_nan() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(median(&[f64::NAN, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn bad_options_are_errors() {
        let o = BenchOptions { models: vec!["nope".into()], ..BenchOptions::default() };
        assert!(run(&o).unwrap_err().contains("unknown benchmark model 'nope'"));
        let o = BenchOptions { seeds: vec![], ..BenchOptions::default() };
        assert!(run(&o).is_err());
        assert_eq!(parse_metric("grad-diag"), Ok(MetricKind::GradDiag));
        assert!(parse_metric("full").is_err());
    }

    /// One chain on the calling thread gives the driver's draws exactly, and
    /// its CPU time is positive and at most the wall time (plus slack).
    #[test]
    fn one_chain_on_this_thread_equals_the_driver() {
        let compiled = bench_models::by_name("medium").unwrap().compile().unwrap();
        let d = compiled.density::<f64>();
        let settings = Settings { chains: 1, num_warmup: 150, num_draws: 100, seed: 11, ..Settings::default() };
        let (ours, wall, cpu) = timed_sample(&settings, |_| d.clone()).unwrap();
        let driver = exmc_nuts::sample(&settings, |_| d.clone(), RunOptions::default()).unwrap();
        assert_eq!(ours.chains[0].draws, driver.chains[0].draws);
        assert_eq!(ours.chains[0].grad_evals, driver.chains[0].grad_evals);
        if let Some(cpu) = cpu {
            assert!(cpu > 0.0 && cpu <= wall * 1.05 + 1e-3, "cpu {cpu} wall {wall}");
        }
    }

    /// A short run of `simple` in both precisions: counts add up, ESS and
    /// agreement with the reference are sane, the table and JSON show it.
    #[test]
    fn short_run_of_simple() {
        let o = BenchOptions {
            models: vec!["simple".into()],
            seeds: vec![7],
            num_warmup: 300,
            num_draws: 400,
            ..BenchOptions::default()
        }
        .with_shared_defaults();
        let rep = run(&o).unwrap();
        assert_eq!(rep.runs.len(), 2);
        for r in &rep.runs {
            assert!(r.failure.is_none(), "{r:?}");
            assert_eq!(r.dim, 2);
            // At least one leapfrog step per iteration, at most 2^10 − 1.
            assert!(r.grad_evals >= 700 && r.grad_evals <= 700 * 1023, "{}", r.grad_evals);
            assert!(r.min_ess_bulk > 50.0 && r.min_ess_bulk < 2000.0, "{}", r.min_ess_bulk);
            assert!((r.ess_per_s - r.min_ess_bulk / (r.sample_ms / 1e3)).abs() < 1e-6 * r.ess_per_s);
            let a = r.agreement.as_ref().unwrap();
            assert!(a.max_abs_z_mean < 4.5 && a.max_abs_z_sd < 4.5, "{a:?}");
        }
        let table = rep.to_table();
        assert!(table.contains("| simple |") && table.contains("nutpie-stan"), "{table}");
        let json: serde_json::Value = serde_json::from_str(&rep.to_json()).unwrap();
        assert_eq!(json["runs"].as_array().unwrap().len(), 2);
        assert_eq!(json["summaries"][1]["precision"], "f32");
    }
}
