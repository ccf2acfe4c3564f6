//! Several chains in parallel.
//!
//! `min(chains, threads)` scoped worker threads take chain indices from a
//! shared counter. A chain's result depends only on `(seed, chain index)` —
//! its own RNG stream and its own density from the factory — so results are
//! bit-identical whatever the number of threads. Each chain runs inside
//! `catch_unwind`: a panicking density (or factory) marks that chain
//! `Failed` with the panic message, keeps its draws so far, and the other
//! chains go on.

use crate::chain::{run_chain, ChainHooks};
use crate::progress::{ChainPhase, Progress};
use crate::settings::{Settings, SettingsError};
use crate::sink::DrawSink;
use crate::stats::{ChainResult, ChainStatus};
use exmc_core::LogDensity;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Optional companions of a run.
#[derive(Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// Receives every draw as it is made.
    pub sink: Option<&'a dyn DrawSink>,
    /// Set to `true` to stop all chains after their current iteration.
    pub cancel: Option<&'a AtomicBool>,
    /// Live per-chain progress (must have at least `settings.chains` entries).
    pub progress: Option<&'a Progress>,
}

/// The results of all chains, in chain order.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleOutput {
    pub chains: Vec<ChainResult>,
}

impl SampleOutput {
    /// Parameter `j`'s sampling draws per chain (completed chains only).
    pub fn columns(&self, j: usize) -> Vec<Vec<f64>> {
        self.chains.iter().filter(|c| c.is_completed()).map(|c| c.column(j)).collect()
    }

    pub fn all_completed(&self) -> bool {
        self.chains.iter().all(|c| c.is_completed())
    }

    /// `(chain, message)` of every failed chain.
    pub fn failures(&self) -> Vec<(usize, &str)> {
        self.chains
            .iter()
            .filter_map(|c| match &c.status {
                ChainStatus::Failed(m) => Some((c.chain, m.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// Number of worker threads a run uses.
pub fn worker_count(settings: &Settings) -> usize {
    let avail = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let want = if settings.threads == 0 { avail } else { settings.threads };
    want.clamp(1, settings.chains.max(1))
}

/// Samples `settings.chains` chains; chain `c` uses the density `factory(c)`.
///
/// Errors only for settings that no chain could use; everything that goes
/// wrong inside a chain is reported in that chain's `status`.
pub fn sample<D, F>(settings: &Settings, factory: F, options: RunOptions<'_>) -> Result<SampleOutput, SettingsError>
where
    D: LogDensity<f64>,
    F: Fn(usize) -> D + Sync,
{
    // Dimension-independent checks up front (dimension 1 stands in).
    let mut probe = settings.clone();
    probe.init = crate::settings::Init::Random;
    probe.validate(1)?;
    if let Some(p) = options.progress {
        if p.snapshot().len() < settings.chains {
            return Err(SettingsError(format!(
                "progress tracks {} chains but {} are sampled",
                p.snapshot().len(),
                settings.chains
            )));
        }
    }
    let next = AtomicUsize::new(0);
    let workers = worker_count(settings);
    let mut results: Vec<ChainResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= settings.chains {
                            break;
                        }
                        mine.push(run_one(settings, &factory, c, options));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|r| r.chain);
    // A worker that died outside catch_unwind (should not happen) leaves gaps.
    let mut chains = Vec::with_capacity(settings.chains);
    let mut it = results.into_iter().peekable();
    for c in 0..settings.chains {
        match it.next_if(|r| r.chain == c) {
            Some(r) => chains.push(r),
            None => {
                let mut r = ChainResult::new(c, 0);
                r.status = ChainStatus::Failed(format!("chain {c}: worker thread died"));
                chains.push(r);
            }
        }
    }
    Ok(SampleOutput { chains })
}

fn run_one<D, F>(settings: &Settings, factory: &F, c: usize, options: RunOptions<'_>) -> ChainResult
where
    D: LogDensity<f64>,
    F: Fn(usize) -> D + Sync,
{
    let progress = options.progress.and_then(|p| p.chain(c));
    let hooks = ChainHooks { sink: options.sink, cancel: options.cancel, progress };
    let mut out = ChainResult::new(c, 0);
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let density = factory(c);
        run_chain(density, settings, c, hooks, &mut out);
    }));
    if let Err(payload) = caught {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".into());
        out.status = ChainStatus::Failed(format!("chain {c} panicked: {why}"));
    }
    if let Some(p) = progress {
        p.set_phase(match out.status {
            ChainStatus::Completed => ChainPhase::Completed,
            ChainStatus::Cancelled => ChainPhase::Cancelled,
            ChainStatus::Failed(_) => ChainPhase::Failed,
        });
    }
    if let Some(sink) = options.sink {
        let _ = catch_unwind(AssertUnwindSafe(|| sink.on_chain_end(c, &out.status)));
    }
    out
}
