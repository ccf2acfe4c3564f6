//! `exmc validate`: sample posteriordb posteriors with Stan programs and
//! compare with the reference draws ([`exmc::validate`]). One progress line
//! per posterior on stderr, then the table on stdout (and the Markdown
//! report with `--markdown FILE`). Exit 0 when every posterior passes or is
//! not supported, 1 when any fails or cannot be run, 3 when the report
//! cannot be written.

use crate::error::{CliError, EXIT_OK};
use clap::Args;
use exmc::validate::{validate_with, ValidateOptions};
use std::path::PathBuf;

/// Exit code when some posterior fails (or cannot be run).
pub const EXIT_FAILED: u8 = 1;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Posteriors to run, comma-separated (default: every posterior of the
    /// index with a program in --programs).
    #[arg(long, value_delimiter = ',')]
    pub posteriors: Vec<String>,
    /// Folder of the Stan programs, named <posterior>.stan or <model>.stan.
    #[arg(long, default_value = "models/posteriordb")]
    pub programs: PathBuf,
    /// The posteriordb folder (index.json, one folder per posterior).
    #[arg(long, default_value = "../shared/posteriordb")]
    pub posteriordb: PathBuf,
    /// Seed of the first run; retries use seed+1, seed+2, ...
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Further seeds tried when the first run fails.
    #[arg(long, default_value_t = 2)]
    pub retries: usize,
    /// Chains per run (at least 2, for R-hat).
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// Warmup iterations per chain.
    #[arg(long, default_value_t = 1000)]
    pub num_warmup: usize,
    /// Draws per chain after warmup.
    #[arg(long, default_value_t = 1000)]
    pub num_samples: usize,
    /// Use exmc's default adapt_delta / max_depth instead of the ones
    /// posteriordb used for the reference.
    #[arg(long)]
    pub default_control: bool,
    /// Also write the Markdown report (table and notes) to this file.
    #[arg(long)]
    pub markdown: Option<PathBuf>,
}

pub fn run(a: ValidateArgs) -> Result<u8, CliError> {
    let opts = ValidateOptions {
        posteriors: a.posteriors.into_iter().filter(|s| !s.is_empty()).collect(),
        programs: a.programs,
        posteriordb: a.posteriordb,
        seed: a.seed,
        retries: a.retries,
        chains: a.chains,
        num_warmup: a.num_warmup,
        num_draws: a.num_samples,
        reference_control: !a.default_control,
        ..ValidateOptions::default()
    };
    if opts.chains < 2 {
        return Err(CliError::usage("validate needs at least 2 chains (R-hat)"));
    }
    let report = validate_with(&opts, &mut |r| eprintln!("{}", r.progress_line()));
    print!("{}", report.to_table());
    if let Some(p) = &a.markdown {
        std::fs::write(p, report.to_markdown())
            .map_err(|e| CliError::files(format!("cannot write {}: {e}", p.display())))?;
    }
    Ok(if report.ok() { EXIT_OK } else { EXIT_FAILED })
}
