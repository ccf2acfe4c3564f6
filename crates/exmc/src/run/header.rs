//! The configuration comments of a chain's CSV: CmdStan's block (model, seed,
//! chain id, every sampler setting) and an `exmc` section for what CmdStan
//! has no key for (precision, metric variant, threads, compile options).

use super::RunConfig;
use exmc_nuts::{Init, MetricKind};
use exmc_report::csv::{format_f64, Header, MetricKind as CsvMetricKind, Precision};
use std::path::Path;

/// CmdStan's header block for chain `chain` (0-based) writing to `path`.
pub(super) fn header(config: &RunConfig, chain: usize, path: &Path) -> Header {
    let s = &config.settings;
    Header {
        model: config.model_name.clone(),
        num_samples: s.num_draws,
        num_warmup: s.num_warmup,
        save_warmup: s.save_warmup,
        adapt_delta: s.target_accept,
        max_depth: s.max_depth,
        metric: match s.metric {
            MetricKind::Dense => CsvMetricKind::DenseE,
            MetricKind::Diag | MetricKind::GradDiag => CsvMetricKind::DiagE,
        },
        stepsize: s.init_step_size,
        num_chains: s.chains,
        chain_id: chain + 1,
        init: config.init_label.clone().unwrap_or_else(|| init_text(&s.init)),
        seed: s.seed,
        output_file: path.display().to_string(),
        precision: config.csv_precision(),
        exmc_version: env!("CARGO_PKG_VERSION").into(),
        ..Header::default()
    }
}

fn init_text(init: &Init) -> String {
    match init {
        Init::Random => "2".into(),
        Init::RandomRadius(r) => format_f64(*r, Precision::RoundTrip),
        Init::Given(_) | Init::PerChain(_) => "user".into(),
    }
}

/// The `# exmc` section, as comment lines without the leading `# `
/// (`exmc`, `  precision = f32`, ...). The reader files them as
/// `exmc.precision` etc.
pub(super) fn exmc_lines(config: &RunConfig) -> Vec<String> {
    let s = &config.settings;
    let metric = match s.metric {
        MetricKind::Diag => "diag",
        MetricKind::Dense => "dense",
        MetricKind::GradDiag => "grad_diag",
    };
    let mut lines = vec![
        "exmc".to_string(),
        format!("  precision = {}", config.precision.as_str()),
        // Not `metric =`: readers (cmdstanpy) take the last `metric =` line
        // as the CmdStan metric.
        format!("  metric_adaptation = {metric}"),
        format!("  threads = {}", s.threads),
        format!("  max_energy_error = {}", format_f64(s.max_energy_error, Precision::RoundTrip)),
    ];
    for (k, v) in &config.extra_header {
        lines.push(format!("  {k} = {v}"));
    }
    lines
}
