//! A sampling session: a compiled model (or any hand-written density) →
//! `exmc_nuts::sample` → one streaming CmdStan CSV per chain, constrained
//! draws in memory, run totals. The glue the `exmc` command line and an
//! embedding program share.
//!
//! ```no_run
//! use exmc::run::{run, RunConfig};
//! let compiled = exmc::bench_models::by_name("eight_schools").unwrap().compile().unwrap();
//! let mut config = RunConfig::new("eight_schools");
//! config.output_dir = Some("out".into()); // out/eight_schools_1.csv …
//! let out = run(&compiled, &config, None, None).unwrap();
//! println!("{}", out.summary().unwrap().to_table());
//! ```
//!
//! What happens, per chain and in the chain's own thread ([`sink`]):
//! each draw's unconstrained position is mapped to every output value
//! (parameters then deterministics, [`exmc_model::Compiled::output_names`]
//! order) and appended, after the 7 sampler columns in CmdStan's order, to
//! that chain's CSV file and to its in-memory columns. The file is flushed
//! after every row, so a run stopped by Ctrl-C or a crash leaves files that
//! read back with every finished draw. The adaptation block (step size and
//! inverse metric) is written when warmup ends; the timing block when the
//! run returns. A chain that fails keeps its rows; the other chains finish.
//!
//! Files are named `{output_dir}/{model}_{chain}.csv`, chains counted from 1
//! (CmdStan's `id`).

mod header;
mod output;
mod sink;
#[cfg(test)]
mod tests;

pub use output::{ChainRun, RunOutput};
pub use sink::{Constrain, Identity};

use exmc_core::{LogDensity, Widen};
use exmc_model::Compiled;
use exmc_nuts::{sample, Progress, RunOptions, Settings};
use exmc_report::csv::Precision as CsvPrecision;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// Floating-point precision the model's log density is evaluated in (the
/// sampler itself always works in f64; outputs are always computed in f64
/// from the f64 position).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ModelPrecision {
    #[default]
    F64,
    F32,
}

impl ModelPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelPrecision::F64 => "f64",
            ModelPrecision::F32 => "f32",
        }
    }
}

/// Everything about a run except the model and the live controls.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Model name, written in the CSV header and used for the file names.
    pub model_name: String,
    pub settings: Settings,
    pub precision: ModelPrecision,
    /// Folder for the CSV files (created if missing); `None`: no files.
    pub output_dir: Option<PathBuf>,
    /// Significant digits in the CSV (1..=18, CmdStan's `sig_figs`); `None`:
    /// shortest exact round trip (write → read is bit-exact).
    pub sig_figs: Option<u8>,
    /// How the header's `init` line describes `settings.init` (e.g. the init
    /// file's path); `None`: the radius, or `user` for given points.
    pub init_label: Option<String>,
    /// More `key = value` lines for the header's `exmc` section (e.g. compile
    /// options such as `noncentre = 1`).
    pub extra_header: Vec<(String, String)>,
}

impl RunConfig {
    /// Default settings (CmdStan's), f64, no files.
    pub fn new(model_name: impl Into<String>) -> Self {
        RunConfig {
            model_name: model_name.into(),
            settings: Settings::default(),
            precision: ModelPrecision::F64,
            output_dir: None,
            sig_figs: None,
            init_label: None,
            extra_header: Vec::new(),
        }
    }

    fn csv_precision(&self) -> CsvPrecision {
        self.sig_figs.map_or(CsvPrecision::RoundTrip, CsvPrecision::SigFigs)
    }

    /// The CSV file of chain `chain` (0-based), if files are written.
    pub fn file_of(&self, chain: usize) -> Option<PathBuf> {
        self.output_dir.as_ref().map(|d| d.join(format!("{}_{}.csv", self.model_name, chain + 1)))
    }
}

/// Why a run could not start. Everything that goes wrong after the start is
/// reported per chain in [`RunOutput`].
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// Settings no chain could use (bad `chains`, `target_accept`, init ...).
    Settings(String),
    /// The output folder or a file could not be created or written.
    Output(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Settings(m) | RunError::Output(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RunError {}

/// Samples a compiled model; see the module documentation.
pub fn run(
    compiled: &Compiled,
    config: &RunConfig,
    cancel: Option<&AtomicBool>,
    progress: Option<&Progress>,
) -> Result<RunOutput, RunError> {
    let names = compiled.output_names();
    let outputs = |_chain: usize| compiled.density::<f64>();
    match config.precision {
        ModelPrecision::F64 => run_with(&names, |_| compiled.density::<f64>(), outputs, config, cancel, progress),
        ModelPrecision::F32 => {
            run_with(&names, |_| Widen::new(compiled.density::<f32>()), outputs, config, cancel, progress)
        }
    }
}

/// Samples any density: chain `c` samples `factory(c)`, and its draws are
/// mapped to the values named `output_names` by `outputs(c)` (use
/// [`Identity`] to report the unconstrained coordinates themselves).
pub fn run_with<D, F, C, G>(
    output_names: &[String],
    factory: F,
    outputs: G,
    config: &RunConfig,
    cancel: Option<&AtomicBool>,
    progress: Option<&Progress>,
) -> Result<RunOutput, RunError>
where
    D: LogDensity<f64>,
    F: Fn(usize) -> D + Sync,
    C: Constrain,
    G: Fn(usize) -> C,
{
    let settings = &config.settings;
    let dim = factory(0).dim();
    settings.validate(dim).map_err(|e| RunError::Settings(e.0))?;
    if let Some(p) = config.sig_figs {
        if !(1..=18).contains(&p) {
            return Err(RunError::Settings(format!("sig_figs must be in 1..=18, got {p}")));
        }
    }
    if let Some(p) = progress {
        if p.snapshot().len() < settings.chains {
            return Err(RunError::Settings(format!(
                "progress tracks {} chains but {} are sampled",
                p.snapshot().len(),
                settings.chains
            )));
        }
    }
    let mut column_names: Vec<String> = exmc_nuts::DrawStats::NAMES.iter().map(|s| s.to_string()).collect();
    column_names.extend(output_names.iter().cloned());

    if let Some(dir) = &config.output_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| RunError::Output(format!("cannot create the output folder {}: {e}", dir.display())))?;
    }
    let mut slots = Vec::with_capacity(settings.chains);
    for c in 0..settings.chains {
        let writer = match config.file_of(c) {
            None => None,
            Some(path) => {
                let head = header::header(config, c, &path);
                Some(
                    sink::open_writer(&path, &head, &header::exmc_lines(config), &column_names)
                        .map_err(RunError::Output)?,
                )
            }
        };
        slots.push(sink::Slot::new(outputs(c), writer, output_names.len(), settings.save_warmup));
    }
    let csv_sink = sink::CsvSink::new(slots);
    let options = RunOptions { sink: Some(&csv_sink), cancel, progress };
    let sampled = sample(settings, factory, options).map_err(|e| RunError::Settings(e.0))?;
    Ok(output::assemble(config, column_names, csv_sink.into_slots(), sampled))
}
