//! `exmc bench`: the benchmark suite of [`exmc::bench`].

use crate::cli::{BenchArgs, FormatArg, PrecisionArg};
use crate::error::{CliError, EXIT_OK};
use exmc::bench::{self, BenchOptions, Precision};

pub fn run(a: BenchArgs) -> Result<u8, CliError> {
    let defaults = BenchOptions::default();
    let opts = BenchOptions {
        models: if a.models.is_empty() { defaults.models } else { a.models },
        seeds: (1..=a.seeds).collect(),
        chains: a.chains,
        threads: a.threads,
        num_warmup: a.num_warmup,
        num_draws: a.num_samples,
        target_accept: a.adapt_delta,
        max_depth: a.max_depth,
        precisions: a
            .precisions
            .iter()
            .map(|p| match p {
                PrecisionArg::F64 => Precision::F64,
                PrecisionArg::F32 => Precision::F32,
            })
            .collect(),
        metric: a.metric.kind(),
        noncentre: a.noncentre,
        peers_csv: a.peers,
        reference_dir: a.reference,
        verbose: !a.quiet,
    }
    .with_shared_defaults();
    if opts.chains == 0 {
        return Err(CliError::usage("--chains must be at least 1"));
    }
    // Every problem bench::run reports is about the arguments (unknown model,
    // nothing to run, bad settings).
    let report = bench::run(&opts).map_err(CliError::usage)?;
    match a.format {
        FormatArg::Table => println!("{}", report.to_table()),
        FormatArg::Json => println!("{}", report.to_json()),
    }
    Ok(EXIT_OK)
}
