//! Streaming draws out of running chains.
//!
//! A [`DrawSink`] is called from the chain's thread right after each draw is
//! made (warmup draws only with `save_warmup`), so an interrupted run has
//! already handed out everything it made. Implementations must be `Sync`
//! (several chains call it at once) and should be quick.

use crate::metric::InvMetric;
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
    /// Called once per chain when warmup ends (right after its last warmup draw,
    /// before the first sampling draw; before any draw when `num_warmup = 0`) with
    /// the step size and inverse metric sampling will use — what CmdStan writes as
    /// the adaptation block. Not called for a chain that stops during warmup.
    fn on_warmup_end(&self, _chain: usize, _step_size: f64, _inv_metric: &InvMetric) {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{sample, RunOptions, Settings};
    use exmc_core::{LogDensity, LogpError};

    struct StdNormal;
    impl LogDensity<f64> for StdNormal {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            g[0] = -x[0];
            g[1] = -x[1];
            Ok(-0.5 * (x[0] * x[0] + x[1] * x[1]))
        }
    }

    /// Records (chain, event) in order: `W` warmup draw, `S` sampling draw,
    /// `E(step, metric)` warmup end.
    #[derive(Default)]
    struct Events(Mutex<Vec<(usize, String, f64, Option<InvMetric>)>>);
    impl DrawSink for Events {
        fn on_draw(&self, chain: usize, d: &Draw<'_>) {
            let tag = if d.stats.warmup { "W" } else { "S" };
            self.0.lock().unwrap().push((chain, tag.into(), d.stats.step_size, None));
        }
        fn on_warmup_end(&self, chain: usize, step_size: f64, m: &InvMetric) {
            self.0.lock().unwrap().push((chain, "E".into(), step_size, Some(m.clone())));
        }
    }

    fn run(num_warmup: usize, save_warmup: bool) -> (Vec<(usize, String, f64, Option<InvMetric>)>, crate::SampleOutput) {
        let settings = Settings { num_warmup, num_draws: 20, chains: 2, seed: 3, save_warmup, ..Settings::default() };
        let sink = Events::default();
        let out = sample(&settings, |_| StdNormal, RunOptions { sink: Some(&sink), ..RunOptions::default() }).unwrap();
        (sink.0.into_inner().unwrap(), out)
    }

    #[test]
    fn warmup_end_comes_once_between_warmup_and_sampling_with_the_adapted_values() {
        for (num_warmup, save_warmup) in [(150, true), (150, false), (0, false)] {
            let (events, out) = run(num_warmup, save_warmup);
            for c in 0..2 {
                let tags: String = events.iter().filter(|e| e.0 == c).map(|e| e.1.as_str()).collect();
                let w = if save_warmup { num_warmup } else { 0 };
                let expect = format!("{}E{}", "W".repeat(w), "S".repeat(20));
                assert_eq!(tags, expect, "warmup {num_warmup}, save {save_warmup}");
                let end = events.iter().find(|e| e.0 == c && e.1 == "E").unwrap();
                assert_eq!(end.2, out.chains[c].step_size);
                assert_eq!(end.3, out.chains[c].inv_metric);
                // Sampling uses the step size announced at warmup end.
                assert!(events.iter().filter(|e| e.0 == c && e.1 == "S").all(|e| e.2 == end.2));
            }
        }
    }
}
