//! `exmc validate`: Stan programs for posteriordb posteriors, sampled and
//! compared with posteriordb's reference draws, following the protocol of
//! `shared/posteriordb/README.md`.
//!
//! Per posterior:
//! 1. the program is `<programs>/<posterior>.stan` (our own, e.g.
//!    `models/posteriordb/arma-arma11.stan`), else `<programs>/<model>.stan`
//!    (posteriordb's own file names, e.g. `arma11.stan`);
//! 2. it is built with `<posteriordb>/<folder>/data.json`
//!    ([`exmc_stan::StanModel::build`]); a program that uses something exmc
//!    does not support (an ODE solver ...) is reported as
//!    [`Status::NotSupported`] with the front end's message;
//! 3. NUTS, `chains × num_draws` after `num_warmup`, seed `seed`, with the
//!    `adapt_delta` / `max_treedepth` posteriordb used for the reference
//!    (unless `reference_control` is off);
//! 4. every reference quantity is compared ([`compare`]): R̂, bulk ESS,
//!    mean z-score against the reference MCSE, sd ratio;
//! 5. a failed first seed is repeated with `retries` more seeds (the
//!    README: "repeat with 2–3 seeds before declaring a failure"): the
//!    posterior passes only if every retry passes.
//!
//! Divergences and tree-depth hits are reported, not judged: they are a
//! warning sign (e.g. the centred eight schools), the checks say whether
//! the draws are right.
//!
//! ```no_run
//! let opts = exmc::validate::ValidateOptions::in_repo(std::path::Path::new("."));
//! let report = exmc::validate::validate(&opts);
//! print!("{}", report.to_table());
//! ```

pub mod compare;
mod outputs;
pub mod reference;
mod report;

pub use compare::{QuantityCheck, Thresholds};
pub use outputs::StanConstrain;
pub use report::{PosteriorResult, SeedRun, Status, ValidateReport};

use crate::run::{run_with, RunConfig};
use compare::check_all;
use exmc_stan::{render_diagnostics, StanModel, StanOutputs};
use reference::{read_index, IndexEntry, ReferenceSummary};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to validate and how.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// Posterior names (`arma-arma11`); empty: every posterior of the index
    /// with a program in `programs`.
    pub posteriors: Vec<String>,
    /// Folder of the Stan programs (default `models/posteriordb`).
    pub programs: PathBuf,
    /// The posteriordb folder: `index.json` and one folder per posterior
    /// (default `../shared/posteriordb`).
    pub posteriordb: PathBuf,
    /// Seed of the first run (1).
    pub seed: u64,
    /// Further seeds (`seed + 1`, ...) tried when the first run fails (2).
    pub retries: usize,
    pub chains: usize,
    pub num_warmup: usize,
    pub num_draws: usize,
    /// Use posteriordb's `adapt_delta` and `max_treedepth` (true); otherwise
    /// exmc's defaults (0.8, 10).
    pub reference_control: bool,
    /// Sampler threads (0: one per chain up to the cores).
    pub threads: usize,
    pub thresholds: Thresholds,
}

impl Default for ValidateOptions {
    /// Paths relative to the current directory, assumed to be the repository root.
    fn default() -> Self {
        ValidateOptions {
            posteriors: Vec::new(),
            programs: PathBuf::from("models/posteriordb"),
            posteriordb: PathBuf::from("../shared/posteriordb"),
            seed: 1,
            retries: 2,
            chains: 4,
            num_warmup: 1000,
            num_draws: 1000,
            reference_control: true,
            threads: 0,
            thresholds: Thresholds::default(),
        }
    }
}

impl ValidateOptions {
    /// The defaults with the paths taken relative to the repository root `root`.
    pub fn in_repo(root: &Path) -> Self {
        ValidateOptions {
            programs: root.join("models/posteriordb"),
            posteriordb: root.join("../shared/posteriordb"),
            ..Default::default()
        }
    }
}

/// Runs the validation; see the module documentation.
pub fn validate(opts: &ValidateOptions) -> ValidateReport {
    validate_with(opts, &mut |_| {})
}

/// [`validate`], calling `done` after each posterior (for progress output).
pub fn validate_with(opts: &ValidateOptions, done: &mut dyn FnMut(&PosteriorResult)) -> ValidateReport {
    let mut results = Vec::new();
    match read_index(&opts.posteriordb) {
        Err(e) => {
            let r = error_result("posteriordb index", e);
            done(&r);
            results.push(r);
        }
        Ok(index) => {
            let selected: Vec<(String, Option<&IndexEntry>)> = if opts.posteriors.is_empty() {
                index
                    .iter()
                    .filter(|e| find_program(&opts.programs, e).is_some())
                    .map(|e| (e.name.clone(), Some(e)))
                    .collect()
            } else {
                opts.posteriors.iter().map(|n| (n.clone(), index.iter().find(|e| &e.name == n))).collect()
            };
            if selected.is_empty() {
                let r = error_result(
                    "programs",
                    format!("no program of a posterior of the index in {}", opts.programs.display()),
                );
                done(&r);
                results.push(r);
            }
            for (name, entry) in selected {
                let r = match entry {
                    Some(e) => guarded(e, opts),
                    None => error_result(
                        &name,
                        format!("'{name}' is not a posterior of {}", opts.posteriordb.join("index.json").display()),
                    ),
                };
                done(&r);
                results.push(r);
            }
        }
    }
    ValidateReport {
        results,
        thresholds: opts.thresholds.clone(),
        chains: opts.chains,
        num_warmup: opts.num_warmup,
        num_draws: opts.num_draws,
    }
}

/// [`validate_one`], with a panic (a bug in the front end or the model
/// compiler) reported as this posterior's error instead of ending the run.
fn guarded(e: &IndexEntry, opts: &ValidateOptions) -> PosteriorResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| validate_one(e, opts))).unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown panic".into());
        error_result(&e.name, format!("panic (a bug in exmc): {msg}"))
    })
}

fn error_result(name: &str, message: String) -> PosteriorResult {
    PosteriorResult {
        name: name.to_string(),
        status: Status::Error(message),
        program: None,
        runs: vec![],
        seconds: 0.0,
    }
}

/// `<dir>/<posterior>.stan`, else `<dir>/<model>.stan`.
fn find_program(dir: &Path, e: &IndexEntry) -> Option<PathBuf> {
    [&e.name, &e.model_name].into_iter().map(|n| dir.join(format!("{n}.stan"))).find(|p| p.is_file())
}

/// Whether the front end's errors say the program uses something exmc does
/// not support (rather than being wrong).
fn is_unsupported(messages: &[String]) -> bool {
    messages.iter().any(|m| m.contains("not supported"))
}

/// Validates one posterior.
pub fn validate_one(e: &IndexEntry, opts: &ValidateOptions) -> PosteriorResult {
    let start = Instant::now();
    let mut result =
        PosteriorResult { name: e.name.clone(), status: Status::Pass, program: None, runs: vec![], seconds: 0.0 };
    let status = (|| -> Result<Status, Status> {
        let program = find_program(&opts.programs, e).ok_or_else(|| {
            Status::Error(format!(
                "no program: neither {} nor {}",
                opts.programs.join(format!("{}.stan", e.name)).display(),
                opts.programs.join(format!("{}.stan", e.model_name)).display()
            ))
        })?;
        result.program = Some(program.clone());
        let source = std::fs::read_to_string(&program)
            .map_err(|err| Status::Error(format!("cannot read {}: {err}", program.display())))?;
        let data_path = e.folder.join("data.json");
        let data: serde_json::Value = std::fs::read_to_string(&data_path)
            .map_err(|err| err.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|err| err.to_string()))
            .map_err(|err| Status::Error(format!("cannot read {}: {err}", data_path.display())))?;
        let file = program.display().to_string();
        let model = StanModel::build(&source, &file, &data).map_err(|diags| {
            let text = render_diagnostics(&diags, &file, &source);
            let messages: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
            if is_unsupported(&messages) {
                Status::NotSupported(text)
            } else {
                Status::Error(text)
            }
        })?;
        let reference = ReferenceSummary::load(&e.folder).map_err(Status::Error)?;
        let first = run_seed(&model, e, &reference, opts, opts.seed).map_err(Status::Error)?;
        let first_passed = first.passed();
        result.runs.push(first);
        if first_passed {
            return Ok(Status::Pass);
        }
        let mut all_retries_pass = opts.retries > 0;
        for k in 1..=opts.retries as u64 {
            let run = run_seed(&model, e, &reference, opts, opts.seed.wrapping_add(k)).map_err(Status::Error)?;
            all_retries_pass &= run.passed();
            result.runs.push(run);
        }
        Ok(if all_retries_pass { Status::PassOnRetry } else { Status::Fail })
    })();
    result.status = status.unwrap_or_else(|s| s);
    result.seconds = start.elapsed().as_secs_f64();
    result
}

/// One sampling run and its comparison with the reference. `Err` when the
/// run cannot start (bad settings, the output map cannot be built).
fn run_seed(
    model: &StanModel,
    e: &IndexEntry,
    reference: &ReferenceSummary,
    opts: &ValidateOptions,
    seed: u64,
) -> Result<SeedRun, String> {
    let mut config = RunConfig::new(e.name.clone());
    let s = &mut config.settings;
    s.chains = opts.chains;
    s.num_warmup = opts.num_warmup;
    s.num_draws = opts.num_draws;
    s.seed = seed;
    s.threads = opts.threads;
    if opts.reference_control {
        s.target_accept = e.control.adapt_delta;
        s.max_depth = e.control.max_treedepth;
    }
    let per_chain: Vec<StanOutputs> =
        (0..opts.chains).map(|c| model.outputs(seed, c).map_err(|d| d.message)).collect::<Result<_, _>>()?;
    let per_chain = RefCell::new(per_chain.into_iter().map(Some).collect::<Vec<_>>());
    let compiled = &model.compiled;
    let start = Instant::now();
    let out = run_with(
        &model.output_names,
        |_| compiled.density::<f64>(),
        |c| StanConstrain(per_chain.borrow_mut().get_mut(c).and_then(Option::take)),
        &config,
        None,
        None,
    )
    .map_err(|err| err.to_string())?;
    let seconds = start.elapsed().as_secs_f64();

    let mut problems: Vec<String> = out.failures.iter().map(|(_, m)| m.clone()).collect();
    let chains = out.summary_chains();
    let checks = if chains.len() < 2 {
        problems.push(format!("only {} usable chain(s)", chains.len()));
        Vec::new()
    } else {
        let columns = |name: &str| -> Option<Vec<&[f64]>> { chains.iter().map(|c| c.column(name)).collect() };
        match check_all(reference, columns, &opts.thresholds) {
            Ok(c) => c,
            Err(m) => {
                problems.push(m);
                Vec::new()
            }
        }
    };
    let mut failures: Vec<String> = checks.iter().flat_map(|c| c.failures(&opts.thresholds)).collect();
    failures.extend(problems.iter().cloned());
    let max_depth = config.settings.max_depth;
    let treedepth_hits = out
        .chains
        .iter()
        .filter_map(|c| c.draws.column("treedepth__"))
        .map(|col| col.iter().filter(|&&d| d >= max_depth as f64).count())
        .sum();
    Ok(SeedRun {
        seed,
        checks,
        failures,
        problems,
        divergences: out.chains.iter().map(|c| c.divergences_sampling).sum(),
        divergences_warmup: out.chains.iter().map(|c| c.divergences_warmup).sum(),
        treedepth_hits,
        max_treedepth: max_depth,
        warnings: out.warnings,
        seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_posterior_and_missing_folder_are_errors() {
        let mut o = ValidateOptions::in_repo(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")));
        o.posteriors = vec!["no-such-posterior".into()];
        let r = validate(&o);
        assert_eq!(r.results.len(), 1);
        assert!(
            matches!(&r.results[0].status, Status::Error(m) if m.contains("not a posterior")),
            "{:?}",
            r.results[0].status
        );
        o.posteriordb = PathBuf::from("/nonexistent");
        let r = validate(&o);
        assert!(matches!(&r.results[0].status, Status::Error(m) if m.contains("index.json")));
        assert!(!r.ok());
    }

    #[test]
    fn program_lookup_by_posterior_then_model_name() {
        let dir = std::env::temp_dir().join(format!("exmc-validate-lookup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let e = IndexEntry {
            name: "arma-arma11".into(),
            model_name: "arma11".into(),
            folder: PathBuf::new(),
            control: reference::StanControl { adapt_delta: 0.8, max_treedepth: 10 },
            draws_available: true,
        };
        assert_eq!(find_program(&dir, &e), None);
        std::fs::write(dir.join("arma11.stan"), "").unwrap();
        assert_eq!(find_program(&dir, &e), Some(dir.join("arma11.stan")));
        std::fs::write(dir.join("arma-arma11.stan"), "").unwrap();
        assert_eq!(find_program(&dir, &e), Some(dir.join("arma-arma11.stan")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
