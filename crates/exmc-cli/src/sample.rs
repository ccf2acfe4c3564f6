//! `exmc sample MODEL`: compile (a Stan program or a built-in model), sample with live progress and Ctrl-C
//! handling, write one CSV per chain, print the summary.

use crate::cli::{PrecisionArg, SampleArgs};
use crate::error::{CliError, EXIT_CHAIN_FAILED, EXIT_FILES, EXIT_INTERRUPTED, EXIT_OK};
use crate::{init, progress, summary};
use exmc::bench_models;
use exmc::nuts::{Progress, Settings};
use exmc::run::{run as run_session, run_with, Constrain, ModelPrecision, RunConfig, RunError};
use exmc::{CompileOptions, Compiled, LogpError};
use exmc_stan::{BuildError, StanModel, StanOutputs};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What MODEL resolved to.
pub enum Loaded {
    /// A built-in benchmark model, compiled.
    Builtin(Compiled),
    /// A Stan program with its data, lowered and compiled.
    Stan(Box<StanModel>),
}

impl Loaded {
    fn compiled(&self) -> &Compiled {
        match self {
            Loaded::Builtin(c) => c,
            Loaded::Stan(m) => &m.compiled,
        }
    }
}

/// Reads a file, or a files error naming it.
fn read(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::files(format!("cannot read {what} {}: {e}", path.display())))
}

/// Resolves MODEL: a `.stan` file (with `--data`) or a built-in model name.
pub fn load_model(spec: &str, data: Option<&Path>, noncentre: bool) -> Result<(String, Loaded), CliError> {
    if spec.ends_with(".stan") {
        let path = Path::new(spec);
        let source = read(path, "the Stan program")?;
        let (json, json_name) = match data {
            Some(d) => (read(d, "the data file")?, d.display().to_string()),
            None => ("{}".to_string(), "(no --data file)".to_string()),
        };
        let model = StanModel::build_from_text(&source, spec, &json, &json_name).map_err(|e| {
            let message = e.render(spec, &source, &json_name).trim_end().to_string();
            match e {
                // The program is wrong: a usage error. The data are wrong: a file error.
                BuildError::Program(_) => CliError::usage(message),
                BuildError::Data(_) => CliError::files(message),
            }
        })?;
        if !model.warnings.is_empty() {
            eprint!("{}", exmc_stan::render_diagnostics(&model.warnings, spec, &source));
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
        return Ok((name, Loaded::Stan(Box::new(model))));
    }
    if !bench_models::NAMES.contains(&spec) {
        let hint = match exmc::model::suggest(spec, bench_models::NAMES) {
            Some(s) => format!(" (did you mean '{s}'?)"),
            None => format!(" (built-in models: {}; or give a .stan file)", bench_models::NAMES.join(", ")),
        };
        return Err(CliError::usage(format!("unknown model '{spec}'{hint}")));
    }
    let compiled = bench_models::by_name(spec)
        .and_then(|m| m.compile_with(&CompileOptions { noncentre }))
        .map_err(|e| CliError::usage(format!("model '{spec}': {e}")))?;
    Ok((spec.to_string(), Loaded::Builtin(compiled)))
}

/// One chain's output rows of a Stan program (parameters, transformed
/// parameters, generated quantities).
struct StanRows(StanOutputs);

impl Constrain for StanRows {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError> {
        self.0.row(x, out).map_err(|e| LogpError::recoverable(e.message))
    }
}

pub fn run(a: SampleArgs) -> Result<u8, CliError> {
    let (name, loaded) = load_model(&a.model, a.data.as_deref(), a.noncentre)?;
    let compiled = loaded.compiled();
    let (init, init_label) = init::parse(a.init.as_deref(), compiled)?;
    let seed = a.seed.unwrap_or_else(clock_seed);
    let settings = Settings {
        num_warmup: a.num_warmup,
        num_draws: a.num_samples,
        chains: a.chains,
        seed,
        target_accept: a.adapt_delta,
        max_depth: a.max_depth,
        metric: a.metric.kind(),
        init,
        save_warmup: a.save_warmup,
        threads: a.threads,
        ..Settings::default()
    };
    // Settings errors before anything starts (and before files are created).
    settings.validate(compiled.dim()).map_err(|e| CliError::usage(e.0))?;
    let config = RunConfig {
        model_name: name.clone(),
        settings,
        precision: match a.precision {
            PrecisionArg::F64 => ModelPrecision::F64,
            PrecisionArg::F32 => ModelPrecision::F32,
        },
        output_dir: a.output.clone(),
        sig_figs: a.sig_figs,
        init_label,
        extra_header: vec![("noncentre".into(), u8::from(a.noncentre).to_string())],
    };

    let cancel = Arc::new(AtomicBool::new(false));
    install_ctrlc(cancel.clone());
    if a.seed.is_none() && !a.quiet {
        eprintln!("seed {seed} (pass --seed {seed} to repeat this run)");
    }
    let progress = Progress::new(a.chains);
    let done = AtomicBool::new(false);
    let out = std::thread::scope(|s| {
        if !a.quiet {
            s.spawn(|| progress::render_until(&progress, &done));
        }
        let r = match &loaded {
            Loaded::Builtin(c) => run_session(c, &config, Some(&cancel), Some(&progress)),
            Loaded::Stan(m) => {
                let factory = |_| m.compiled.density::<f64>();
                let outputs = |chain| -> StanRows {
                    // Transformed data were read once already: this cannot fail now.
                    StanRows(m.outputs(seed, chain).expect("data were read when the model was built"))
                };
                match config.precision {
                    ModelPrecision::F64 => run_with(&m.output_names, factory, outputs, &config, Some(&cancel), Some(&progress)),
                    ModelPrecision::F32 => run_with(
                        &m.output_names,
                        |_| exmc::Widen::new(m.compiled.density::<f32>()),
                        outputs,
                        &config,
                        Some(&cancel),
                        Some(&progress),
                    ),
                }
            }
        };
        done.store(true, Ordering::Relaxed);
        r
    });
    let out = out.map_err(|e| match e {
        RunError::Settings(m) => CliError::usage(m),
        RunError::Output(m) => CliError { code: EXIT_FILES, message: m },
    })?;

    if let (Some(dir), false) = (&a.output, a.quiet) {
        let first = config.file_of(0).map(|p| p.display().to_string()).unwrap_or_default();
        let more = if a.chains > 1 { format!(" ... {name}_{}.csv", a.chains) } else { String::new() };
        eprintln!("wrote {first}{more} (in {})", dir.display());
    }
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    for (c, m) in &out.failures {
        eprintln!("warning: chain {} failed: {m}; the summary leaves it out", c + 1);
    }
    let interrupted = out.cancelled();
    if interrupted {
        eprintln!("interrupted: the summary covers the draws made so far");
    }
    match out.summary() {
        Ok(s) => summary::print_summary(&s, a.format),
        Err(e) => eprintln!("no summary: {e}"),
    }
    Ok(if interrupted {
        EXIT_INTERRUPTED
    } else if !out.failures.is_empty() {
        EXIT_CHAIN_FAILED
    } else {
        EXIT_OK
    })
}

/// Ctrl-C once: chains stop after their current iteration and the files are
/// finished. Twice: exit at once (rows already written stay valid).
fn install_ctrlc(cancel: Arc<AtomicBool>) {
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, Ordering::Relaxed) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        eprintln!("\ninterrupt: stopping after the current iteration (Ctrl-C again to quit at once)");
    });
}

/// A seed from the clock when none is given (written to the CSV header).
fn clock_seed() -> u64 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (t.as_nanos() as u64) % 4_294_967_296
}
