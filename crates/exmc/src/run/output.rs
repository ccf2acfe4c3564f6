//! What a run returns: per-chain constrained draws and sampler facts, run
//! totals, failures; and the summary of what can be summarised.

use super::sink::{Constrain, Slot};
use super::RunConfig;
use exmc_nuts::{ChainStatus, InvMetric, SampleOutput};
use exmc_report::summary::{summarize, SamplerTotals, Summary};
use exmc_report::ChainDraws;
use std::path::PathBuf;

/// One chain of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainRun {
    /// 0-based (the file and the CSV header count from 1).
    pub chain: usize,
    pub status: ChainStatus,
    /// Post-warmup rows exactly as written to the file (before formatting):
    /// the 7 sampler columns (`lp__` ... `energy__`), then the outputs by Stan
    /// name (`theta[1]`).
    pub draws: ChainDraws,
    /// Warmup rows, with `save_warmup`.
    pub warmup: Option<ChainDraws>,
    /// Adapted step size and inverse metric (`NaN` / `None` if warmup did not end).
    pub step_size: f64,
    pub inv_metric: Option<InvMetric>,
    pub warmup_seconds: f64,
    pub sampling_seconds: f64,
    pub grad_evals: u64,
    pub divergences_warmup: usize,
    pub divergences_sampling: usize,
    /// The chain's CSV file, when files are written.
    pub file: Option<PathBuf>,
}

/// The result of [`super::run`].
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutput {
    pub chains: Vec<ChainRun>,
    /// Over all chains: warmup and sampling divergences apart, gradient
    /// evaluations summed, times of the slowest chain.
    pub totals: SamplerTotals,
    /// `(chain, message)` for every chain that failed (0-based chain), and for
    /// every chain whose file could not be written to the end.
    pub failures: Vec<(usize, String)>,
    /// Things worth telling that are not failures (e.g. draws whose outputs
    /// could not be computed and are NaN).
    pub warnings: Vec<String>,
}

impl RunOutput {
    /// Whether any chain was stopped by the cancel flag.
    pub fn cancelled(&self) -> bool {
        self.chains.iter().any(|c| c.status == ChainStatus::Cancelled)
    }

    /// The chains a summary should use: every chain that did not fail and
    /// has at least one post-warmup draw, cut to the shortest of them (an
    /// interrupted run stops chains at different iterations). Empty when
    /// nothing usable was drawn.
    pub fn summary_chains(&self) -> Vec<ChainDraws> {
        let pick: Vec<&ChainRun> = self
            .chains
            .iter()
            .filter(|c| !matches!(c.status, ChainStatus::Failed(_)) && c.draws.num_draws() > 0)
            .collect();
        let n = pick.iter().map(|c| c.draws.num_draws()).min().unwrap_or(0);
        pick.iter()
            .map(|c| ChainDraws {
                names: c.draws.names.clone(),
                columns: c.draws.columns.iter().map(|col| col[..n].to_vec()).collect(),
            })
            .collect()
    }

    /// Summary of [`Self::summary_chains`] (totals of all chains, sampling
    /// divergences counted from the rows used). Errors when no chain has a
    /// post-warmup draw.
    pub fn summary(&self) -> Result<Summary, String> {
        let chains = self.summary_chains();
        if chains.is_empty() {
            return Err("no post-warmup draws to summarise".into());
        }
        let mut totals = self.totals.clone();
        totals.sampling_divergences = None;
        summarize(&chains, &totals)
    }
}

pub(super) fn assemble<C: Constrain>(
    config: &RunConfig,
    names: Vec<String>,
    slots: Vec<Slot<C>>,
    sampled: SampleOutput,
) -> RunOutput {
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    let mut chains = Vec::with_capacity(sampled.chains.len());
    for (r, mut slot) in sampled.chains.into_iter().zip(slots) {
        let c = r.chain;
        if let ChainStatus::Failed(m) = &r.status {
            failures.push((c, m.clone()));
        }
        if let Some(w) = slot.writer.take() {
            if slot.io_error.is_none() {
                if let Err(e) = w.finish(r.warmup_seconds, r.sampling_seconds) {
                    slot.io_error = Some(format!("cannot write the timing block: {e}"));
                }
            }
        }
        let file = config.file_of(c);
        if let Some(e) = &slot.io_error {
            let f = file.as_ref().map_or(String::new(), |p| format!("{}: ", p.display()));
            failures.push((c, format!("chain {}: {f}{e}", c + 1)));
        }
        if let Some((m, n)) = &slot.constrain_error {
            warnings.push(format!(
                "chain {}: {n} draw(s) whose outputs could not be computed are written as NaN (first: {m})",
                c + 1
            ));
        }
        let draws = ChainDraws { names: names.clone(), columns: std::mem::take(&mut slot.columns) };
        let warmup = config
            .settings
            .save_warmup
            .then(|| ChainDraws { names: names.clone(), columns: std::mem::take(&mut slot.warmup_columns) });
        chains.push(ChainRun {
            chain: c,
            status: r.status,
            draws,
            warmup,
            step_size: r.step_size,
            inv_metric: r.inv_metric,
            warmup_seconds: r.warmup_seconds,
            sampling_seconds: r.sampling_seconds,
            grad_evals: r.grad_evals,
            divergences_warmup: r.divergences_warmup,
            divergences_sampling: r.divergences_sampling,
            file,
        });
    }
    let max = |f: fn(&ChainRun) -> f64| chains.iter().map(f).reduce(f64::max);
    let totals = SamplerTotals {
        warmup_per_chain: Some(config.settings.num_warmup),
        warmup_divergences: Some(chains.iter().map(|c| c.divergences_warmup).sum()),
        sampling_divergences: Some(chains.iter().map(|c| c.divergences_sampling).sum()),
        max_treedepth: config.settings.max_depth,
        gradient_evaluations: Some(chains.iter().map(|c| c.grad_evals).sum()),
        warmup_secs: max(|c| c.warmup_seconds),
        sampling_secs: max(|c| c.sampling_seconds),
    };
    RunOutput { chains, totals, failures, warnings }
}
