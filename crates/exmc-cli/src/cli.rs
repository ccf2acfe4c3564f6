//! The command-line grammar (clap derive). Names and defaults follow CmdStan
//! where it has them (`--num-warmup`, `--num-samples`, `--adapt-delta`,
//! `--max-depth`, `--sig-figs`, `--save-warmup`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "exmc", version, about = "Bayesian inference: NUTS sampling, diagnostics, CmdStan CSV")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sample a model with NUTS and print the summary.
    Sample(SampleArgs),
    /// Summarise CmdStan CSV files (exmc's or CmdStan's own).
    Summary(SummaryArgs),
    /// Run the benchmark suite (the peers' protocol) and print its tables.
    Bench(BenchArgs),
    /// Parse and type-check Stan programs (a linter: exit 0 when every file
    /// is valid, 1 when any has an error).
    Check(CheckArgs),
    /// Sample posteriordb posteriors and compare with the reference draws.
    Validate(crate::validate::ValidateArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Stan programs.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricArg {
    /// Diagonal, from the draws' variances (Stan's diag_e).
    Diag,
    /// Dense, from the draws' covariance (Stan's dense_e).
    Dense,
    /// Diagonal from draws and gradients, sqrt(var(x)/var(grad)) (nutpie).
    GradDiag,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrecisionArg {
    F64,
    F32,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FormatArg {
    /// A table for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
}

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// A Stan program (model.stan, with --data), or a built-in benchmark
    /// model (simple, medium, stress, eight_schools, funnel, logistic, sv).
    pub model: String,
    /// Data for a Stan program, in CmdStan's JSON format.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Number of chains.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// Random seed (default: drawn from the clock, printed and written to the CSV header).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Warmup (adaptation) iterations per chain.
    #[arg(long, default_value_t = 1000)]
    pub num_warmup: usize,
    /// Draws per chain after warmup.
    #[arg(long, default_value_t = 1000)]
    pub num_samples: usize,
    /// Target mean acceptance statistic of step-size adaptation, in (0, 1).
    #[arg(long, default_value_t = 0.8)]
    pub adapt_delta: f64,
    /// Maximum tree depth (at most 2^depth - 1 leapfrog steps per draw).
    #[arg(long, default_value_t = 10)]
    pub max_depth: usize,
    /// Mass matrix adapted during warmup.
    #[arg(long, value_enum, default_value_t = MetricArg::Diag)]
    pub metric: MetricArg,
    /// Initial values: a radius R (uniform(-R, R) on the unconstrained scale;
    /// default 2), or a JSON file of parameter values ({"mu": 0.5, "theta": [..]}).
    #[arg(long, allow_hyphen_values = true)]
    pub init: Option<String>,
    /// Folder for the CSV files, MODEL_1.csv ... MODEL_C.csv (CmdStan layout);
    /// without it no files are written.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Floating-point precision of the model's log density.
    #[arg(long, value_enum, default_value_t = PrecisionArg::F64)]
    pub precision: PrecisionArg,
    /// Write the warmup draws too.
    #[arg(long)]
    pub save_warmup: bool,
    /// Significant digits in the CSV files (1..=18; default: shortest exact round trip).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=18))]
    pub sig_figs: Option<u8>,
    /// Worker threads (default: min(chains, cores)); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Summary format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Built-in models: rewrite normal priors with a random scale as
    /// mu + sigma * z (non-centred; reported on the original scale).
    #[arg(long)]
    pub noncentre: bool,
    /// No live progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct SummaryArgs {
    /// CmdStan CSV files, one per chain.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Models, comma separated (default: all seven).
    #[arg(long, value_delimiter = ',')]
    pub models: Vec<String>,
    /// Number of seeds (runs 1..=N per model).
    #[arg(long, default_value_t = 3)]
    pub seeds: u64,
    /// Chains per run.
    #[arg(long, default_value_t = 1)]
    pub chains: usize,
    /// Worker threads (0: min(chains, cores)).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[arg(long, default_value_t = 1000)]
    pub num_warmup: usize,
    #[arg(long, default_value_t = 1000)]
    pub num_samples: usize,
    #[arg(long, default_value_t = 0.8)]
    pub adapt_delta: f64,
    #[arg(long, default_value_t = 10)]
    pub max_depth: usize,
    /// Precisions, comma separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [PrecisionArg::F64, PrecisionArg::F32])]
    pub precisions: Vec<PrecisionArg>,
    #[arg(long, value_enum, default_value_t = MetricArg::Diag)]
    pub metric: MetricArg,
    /// Sample the non-centred parameterisation (the peers sample the models as written).
    #[arg(long)]
    pub noncentre: bool,
    /// The peers' results.csv (default: ../shared/peers/results.csv of the source tree, if present).
    #[arg(long)]
    pub peers: Option<PathBuf>,
    /// Folder of reference posteriors MODEL.json (default: ../shared/bench-models/reference, if present).
    #[arg(long)]
    pub reference: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// No per-run lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

impl MetricArg {
    pub fn kind(self) -> exmc::nuts::MetricKind {
        match self {
            MetricArg::Diag => exmc::nuts::MetricKind::Diag,
            MetricArg::Dense => exmc::nuts::MetricKind::Dense,
            MetricArg::GradDiag => exmc::nuts::MetricKind::GradDiag,
        }
    }
}
