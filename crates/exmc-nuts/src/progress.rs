//! Live progress of running chains, readable from any thread.
//!
//! Each chain updates its own atomics once per iteration (relaxed stores, no
//! locks); [`Progress::snapshot`] reads them.

use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed};

/// Where a chain is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainPhase {
    NotStarted,
    Warmup,
    Sampling,
    Completed,
    Failed,
    Cancelled,
}

impl ChainPhase {
    fn from_u8(v: u8) -> Self {
        match v {
            1 => ChainPhase::Warmup,
            2 => ChainPhase::Sampling,
            3 => ChainPhase::Completed,
            4 => ChainPhase::Failed,
            5 => ChainPhase::Cancelled,
            _ => ChainPhase::NotStarted,
        }
    }
    fn to_u8(self) -> u8 {
        match self {
            ChainPhase::NotStarted => 0,
            ChainPhase::Warmup => 1,
            ChainPhase::Sampling => 2,
            ChainPhase::Completed => 3,
            ChainPhase::Failed => 4,
            ChainPhase::Cancelled => 5,
        }
    }
}

/// One chain's counters.
#[derive(Debug, Default)]
pub struct ChainProgress {
    iterations_done: AtomicUsize,
    total_iterations: AtomicUsize,
    phase: AtomicU8,
    divergences_warmup: AtomicUsize,
    divergences_sampling: AtomicUsize,
    step_size_bits: AtomicU64,
    last_n_leapfrog: AtomicU64,
}

/// A consistent-enough copy of one chain's counters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChainProgressSnapshot {
    pub iterations_done: usize,
    pub total_iterations: usize,
    pub phase: ChainPhase,
    pub divergences_warmup: usize,
    pub divergences_sampling: usize,
    pub step_size: f64,
    pub last_n_leapfrog: u64,
}

impl ChainProgress {
    pub(crate) fn start(&self, total: usize) {
        self.total_iterations.store(total, Relaxed);
        self.set_phase(ChainPhase::Warmup);
    }

    pub(crate) fn set_phase(&self, phase: ChainPhase) {
        self.phase.store(phase.to_u8(), Relaxed);
    }

    pub(crate) fn record(&self, done: usize, warmup: bool, divergent: bool, step_size: f64, n_leapfrog: u64) {
        self.iterations_done.store(done, Relaxed);
        self.set_phase(if warmup { ChainPhase::Warmup } else { ChainPhase::Sampling });
        if divergent {
            let c = if warmup { &self.divergences_warmup } else { &self.divergences_sampling };
            c.fetch_add(1, Relaxed);
        }
        self.step_size_bits.store(step_size.to_bits(), Relaxed);
        self.last_n_leapfrog.store(n_leapfrog, Relaxed);
    }

    pub fn snapshot(&self) -> ChainProgressSnapshot {
        ChainProgressSnapshot {
            iterations_done: self.iterations_done.load(Relaxed),
            total_iterations: self.total_iterations.load(Relaxed),
            phase: ChainPhase::from_u8(self.phase.load(Relaxed)),
            divergences_warmup: self.divergences_warmup.load(Relaxed),
            divergences_sampling: self.divergences_sampling.load(Relaxed),
            step_size: f64::from_bits(self.step_size_bits.load(Relaxed)),
            last_n_leapfrog: self.last_n_leapfrog.load(Relaxed),
        }
    }
}

/// Progress of all chains of a run.
#[derive(Debug)]
pub struct Progress {
    chains: Vec<ChainProgress>,
}

impl Progress {
    pub fn new(chains: usize) -> Self {
        Progress { chains: (0..chains).map(|_| ChainProgress::default()).collect() }
    }

    pub fn chain(&self, i: usize) -> Option<&ChainProgress> {
        self.chains.get(i)
    }

    pub fn snapshot(&self) -> Vec<ChainProgressSnapshot> {
        self.chains.iter().map(|c| c.snapshot()).collect()
    }
}
