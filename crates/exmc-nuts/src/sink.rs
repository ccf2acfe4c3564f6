//! Streaming draws out of running chains.
//!
//! A [`DrawSink`] is called from the chain's thread right after each draw is
//! made (warmup draws only with `save_warmup`), so an interrupted run has
//! already handed out everything it made. Implementations must be `Sync`
//! (several chains call it at once) and should be quick.

use crate::stats::{ChainStatus, DrawStats};
use std::sync::mpsc::Sender;
use std::sync::Mutex;

/// One draw as it leaves a chain.
#[derive(Clone, Copy, Debug)]
pub struct Draw<'a> {
    /// Iteration index, warmup included (0-based).
    pub iteration: usize,
    /// Unconstrained position.
    pub position: &'a [f64],
    pub stats: &'a DrawStats,
}

/// An owned [`Draw`] (for channels and collections).
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedDraw {
    pub chain: usize,
    pub iteration: usize,
    pub position: Vec<f64>,
    pub stats: DrawStats,
}

/// Receives draws while chains run.
pub trait DrawSink: Sync {
    fn on_draw(&self, chain: usize, draw: &Draw<'_>);
    /// Called once when a chain stops, whatever the reason.
    fn on_chain_end(&self, _chain: usize, _status: &ChainStatus) {}
}

/// Sends every draw as an [`OwnedDraw`] into an mpsc channel (a dropped
/// receiver is ignored: sampling goes on).
pub struct ChannelSink(pub Sender<OwnedDraw>);

impl DrawSink for ChannelSink {
    fn on_draw(&self, chain: usize, draw: &Draw<'_>) {
        let _ = self.0.send(OwnedDraw {
            chain,
            iteration: draw.iteration,
            position: draw.position.to_vec(),
            stats: *draw.stats,
        });
    }
}

/// Collects every draw in arrival order.
#[derive(Default)]
pub struct CollectSink {
    draws: Mutex<Vec<OwnedDraw>>,
}

impl CollectSink {
    pub fn new() -> Self {
        Self::default()
    }

    /// The draws received so far.
    pub fn take(&self) -> Vec<OwnedDraw> {
        std::mem::take(&mut *self.draws.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn len(&self) -> usize {
        self.draws.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl DrawSink for CollectSink {
    fn on_draw(&self, chain: usize, draw: &Draw<'_>) {
        self.draws.lock().unwrap_or_else(|e| e.into_inner()).push(OwnedDraw {
            chain,
            iteration: draw.iteration,
            position: draw.position.to_vec(),
            stats: *draw.stats,
        });
    }
}

/// Any `Fn(chain, &Draw)` closure is a sink.
impl<F: Fn(usize, &Draw<'_>) + Sync> DrawSink for F {
    fn on_draw(&self, chain: usize, draw: &Draw<'_>) {
        self(chain, draw)
    }
}
