//! `exmc sample MODEL`: compile, sample with live progress and Ctrl-C
//! handling, write one CSV per chain, print the summary.

use crate::cli::{PrecisionArg, SampleArgs};
use crate::error::{CliError, EXIT_CHAIN_FAILED, EXIT_FILES, EXIT_INTERRUPTED, EXIT_OK};
use crate::{init, progress, summary};
use exmc::bench_models;
use exmc::nuts::{Progress, Settings};
use exmc::run::{run as run_session, ModelPrecision, RunConfig, RunError};
use exmc::{CompileOptions, Model};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Resolves MODEL: a built-in model name, or a `.stan` file (not wired yet).
pub fn load_model(spec: &str) -> Result<(String, Model), CliError> {
    if spec.ends_with(".stan") {
        return Err(CliError::usage(format!(
            "{spec}: the Stan front end is not wired yet; built-in models: {}",
            bench_models::NAMES.join(", ")
        )));
    }
    if !bench_models::NAMES.contains(&spec) {
        let hint = match exmc::model::suggest(spec, bench_models::NAMES) {
            Some(s) => format!(" (did you mean '{s}'?)"),
            None => format!(" (built-in models: {})", bench_models::NAMES.join(", ")),
        };
        return Err(CliError::usage(format!("unknown model '{spec}'{hint}")));
    }
    let model = bench_models::by_name(spec).map_err(|e| CliError::usage(format!("model '{spec}': {e}")))?;
    Ok((spec.to_string(), model))
}

pub fn run(a: SampleArgs) -> Result<u8, CliError> {
    let (name, model) = load_model(&a.model)?;
    let compiled = model
        .compile_with(&CompileOptions { noncentre: !a.no_noncentre })
        .map_err(|e| CliError::usage(format!("model '{name}': {e}")))?;
    let (init, init_label) = init::parse(a.init.as_deref(), &compiled)?;
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
        extra_header: vec![("noncentre".into(), u8::from(!a.no_noncentre).to_string())],
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
        let r = run_session(&compiled, &config, Some(&cancel), Some(&progress));
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
