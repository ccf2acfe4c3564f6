//! The benchmark suite from the command line (until `exmc bench` lands).
//!
//! ```text
//! cargo run --release -p exmc --example bench -- [--models a,b] [--seeds 3]
//!     [--chains 1|4] [--precisions f64,f32] [--metric diag|dense|grad-diag]
//!     [--param noncentred|centred|both] [--warmup 1000] [--draws 1000]
//!     [--metrics diag,dense,grad-diag] [--json out.json] [--md out.md] [--quiet]
//! ```
//!
//! `--param both` also prints non-centred against centred side by side;
//! `--metrics a,b,...` runs once per metric and prints them side by side
//! (with the geometric mean of ESS/s relative to the first).
//!
//! Prints the Markdown tables of [`exmc::bench::BenchReport::to_table`]
//! (peers from `../shared/peers/results.csv`, references from
//! `../shared/bench-models/reference/` when they exist).

use exmc::bench::{self, BenchOptions, Precision};
use std::process::ExitCode;

fn usage() -> &'static str {
    "usage: bench [--models a,b] [--seeds N] [--chains C] [--precisions f64,f32] [--metric diag|dense|grad-diag] \
     [--param noncentred|centred|both] [--metrics m1,m2,..] [--warmup N] [--draws N] [--json FILE] [--md FILE] [--quiet]"
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}\n{}", usage());
            ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<(), String> {
    let mut opts = BenchOptions { verbose: true, ..BenchOptions::default() }.with_shared_defaults();
    let mut json_path = None;
    let mut md_path = None;
    let mut params = vec![true];
    let mut metrics = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        let count = |s: String| s.parse::<usize>().map_err(|_| format!("'{s}' is not a count"));
        match a.as_str() {
            "--models" => opts.models = value()?.split(',').map(|s| s.trim().to_string()).collect(),
            "--seeds" => opts.seeds = (1..=count(value()?)? as u64).collect(),
            "--chains" => opts.chains = count(value()?)?,
            "--threads" => opts.threads = count(value()?)?,
            "--warmup" => opts.num_warmup = count(value()?)?,
            "--draws" => opts.num_draws = count(value()?)?,
            "--metric" => opts.metric = bench::parse_metric(&value()?)?,
            "--metrics" => {
                metrics = value()?.split(',').map(|m| bench::parse_metric(m.trim())).collect::<Result<_, _>>()?
            }
            "--precisions" => {
                opts.precisions = value()?
                    .split(',')
                    .map(|p| match p.trim() {
                        "f64" => Ok(Precision::F64),
                        "f32" => Ok(Precision::F32),
                        other => Err(format!("unknown precision '{other}' (f64 or f32)")),
                    })
                    .collect::<Result<_, _>>()?
            }
            "--param" => {
                params = match value()?.as_str() {
                    "noncentred" => vec![true],
                    "centred" => vec![false],
                    "both" => vec![true, false],
                    other => return Err(format!("unknown --param '{other}'")),
                }
            }
            "--json" => json_path = Some(value()?),
            "--md" => md_path = Some(value()?),
            "--quiet" => opts.verbose = false,
            "-h" | "--help" => {
                println!("{}", usage());
                return Ok(());
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let mut tables = String::new();
    let mut reports = Vec::new();
    let mut labelled = Vec::new();
    let variants: Vec<(bool, exmc::nuts::MetricKind)> = if metrics.is_empty() {
        params.iter().map(|&p| (p, opts.metric)).collect()
    } else {
        params.iter().flat_map(|&p| metrics.iter().map(move |&m| (p, m))).collect()
    };
    for (noncentre, metric) in variants {
        let o = BenchOptions { noncentre, metric, ..opts.clone() };
        let report = bench::run(&o)?;
        let t = report.to_table();
        println!("{t}");
        tables.push_str(&t);
        tables.push('\n');
        let param = if noncentre { "non-centred" } else { "centred" };
        let label = match (metrics.is_empty(), params.len() > 1) {
            (true, _) => param.to_string(),
            (false, false) => bench::metric_name(metric).to_string(),
            (false, true) => format!("{} ({param})", bench::metric_name(metric)),
        };
        labelled.push((label, report.clone()));
        reports.push(report);
    }
    if labelled.len() > 1 {
        for &p in &opts.precisions {
            let t = format!(
                "### Side by side, {} ({} chain(s))\n\n{}",
                p.name(),
                opts.chains,
                bench::compare_table(&labelled, p)
            );
            println!("{t}");
            tables.push_str(&t);
            tables.push('\n');
        }
    }
    if let Some(p) = json_path {
        let body = if reports.len() == 1 {
            reports[0].to_json()
        } else {
            format!("[{}]", reports.iter().map(|r| r.to_json()).collect::<Vec<_>>().join(",\n"))
        };
        std::fs::write(&p, body).map_err(|e| format!("cannot write {p}: {e}"))?;
    }
    if let Some(p) = md_path {
        std::fs::write(&p, tables).map_err(|e| format!("cannot write {p}: {e}"))?;
    }
    Ok(())
}
