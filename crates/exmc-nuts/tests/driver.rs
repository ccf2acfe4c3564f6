//! Multi-chain driver: determinism across thread counts, streaming,
//! cancellation, progress, fault isolation, warmup bookkeeping.

mod common;
use common::*;
use exmc_core::{LogDensity, LogpError};
use exmc_nuts::{
    sample, ChainPhase, ChainStatus, ChannelSink, CollectSink, Draw, InvMetric, MetricKind, Progress, RunOptions,
    Settings,
};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn small(seed: u64) -> Settings {
    Settings { num_warmup: 200, num_draws: 300, chains: 4, seed, ..Settings::default() }
}

/// Chain results without the timings (which legitimately differ).
fn comparable(out: &exmc_nuts::SampleOutput) -> Vec<exmc_nuts::ChainResult> {
    out.chains
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.warmup_seconds = 0.0;
            c.sampling_seconds = 0.0;
            c
        })
        .collect()
}

#[test]
fn same_seed_same_draws_whatever_the_thread_count() {
    for metric in [MetricKind::Diag, MetricKind::Dense, MetricKind::GradDiag] {
        let mut s = small(5);
        s.metric = metric;
        s.save_warmup = true;
        s.threads = 1;
        let one = sample(&s, |_| Corr2(0.5), RunOptions::default()).unwrap();
        s.threads = 4;
        let four = sample(&s, |_| Corr2(0.5), RunOptions::default()).unwrap();
        assert!(one.all_completed());
        assert_eq!(comparable(&one), comparable(&four), "{metric:?}");
        // Chains differ from each other (own streams, own warmup, own start).
        assert_ne!(one.chains[0].draws, one.chains[1].draws);
        assert_ne!(one.chains[0].step_size, one.chains[1].step_size);
        assert_ne!(one.chains[0].warmup_draws[..2], one.chains[1].warmup_draws[..2]);
        // A different seed gives different draws.
        s.seed = 6;
        let other = sample(&s, |_| Corr2(0.5), RunOptions::default()).unwrap();
        assert_ne!(other.chains[0].draws, one.chains[0].draws);
    }
}

#[test]
fn results_have_the_documented_shapes() {
    let mut s = small(1);
    s.save_warmup = true;
    let out = sample(&s, |_| StdNormal(3), RunOptions::default()).unwrap();
    for c in &out.chains {
        assert_eq!(c.status, ChainStatus::Completed);
        assert_eq!((c.dim, c.num_draws(), c.draws.len()), (3, 300, 900));
        assert_eq!((c.warmup_stats.len(), c.warmup_draws.len()), (200, 600));
        assert!(c.warmup_stats.iter().all(|s| s.warmup) && c.stats.iter().all(|s| !s.warmup));
        // Sampling uses one step size, the one reported.
        assert!(c.stats.iter().all(|s| s.step_size == c.step_size));
        assert!(matches!(&c.inv_metric, Some(InvMetric::Diag(v)) if v.len() == 3));
        let lf: u64 = c.stats.iter().chain(&c.warmup_stats).map(|s| s.n_leapfrog).sum();
        assert!(c.grad_evals > lf, "every leapfrog step evaluates the gradient, plus init and step-size search");
        assert!(c.warmup_seconds > 0.0 && c.sampling_seconds > 0.0);
        assert_eq!(c.divergences_warmup, c.warmup_stats.iter().filter(|s| s.divergent).count());
        assert_eq!(c.divergences_sampling, c.stats.iter().filter(|s| s.divergent).count());
        for st in &c.stats {
            assert!(st.lp.is_finite() && st.energy.is_finite() && st.tree_depth <= 10);
            assert_eq!(st.stan_values()[4], st.n_leapfrog as f64);
        }
    }
}

/// Short warmups run every iteration they were asked for; the dense metric
/// survives a first window of any length.
#[test]
fn short_warmups_run_in_full() {
    for warmup in [0usize, 10, 50, 150] {
        for metric in [MetricKind::Diag, MetricKind::Dense, MetricKind::GradDiag] {
            let s = Settings {
                num_warmup: warmup,
                num_draws: 100,
                chains: 2,
                seed: 3,
                metric,
                save_warmup: true,
                ..Settings::default()
            };
            let out = sample(&s, |_| Corr2(0.9), RunOptions::default()).unwrap();
            assert!(out.all_completed(), "{warmup} {metric:?}: {:?}", out.failures());
            for c in &out.chains {
                assert_eq!(c.warmup_stats.len(), warmup);
                assert_eq!(c.num_draws(), 100);
                assert!(c.step_size.is_finite() && c.step_size > 0.0);
                match (metric, c.inv_metric.as_ref().unwrap()) {
                    (MetricKind::Dense, InvMetric::Dense { dim, values }) => {
                        assert_eq!((*dim, values.len()), (2, 4));
                        if warmup >= 50 {
                            // the window saw the correlation (true ρ = 0.9)
                            let corr = values[1] / (values[0] * values[3]).sqrt();
                            assert!(corr > 0.5, "{values:?}");
                        }
                    }
                    (MetricKind::Dense, m) => panic!("{m:?}"),
                    (_, InvMetric::Diag(v)) => assert_eq!(v.len(), 2),
                    (_, m) => panic!("{m:?}"),
                }
            }
        }
    }
}

/// Panics after `after` evaluations (only in the chosen chain).
struct PanicAfter {
    inner: StdNormal,
    evals: usize,
    after: Option<usize>,
}
impl LogDensity<f64> for PanicAfter {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        self.evals += 1;
        if self.after.is_some_and(|a| self.evals > a) {
            panic!("model bug at evaluation {}", self.evals);
        }
        self.inner.logp_grad(x, g)
    }
}

#[test]
fn a_panicking_chain_is_reported_and_the_others_finish() {
    let mut s = small(2);
    s.save_warmup = true;
    let sink = CollectSink::new();
    let out = sample(
        &s,
        |c| PanicAfter { inner: StdNormal(2), evals: 0, after: (c == 2).then_some(1000) },
        RunOptions { sink: Some(&sink), ..RunOptions::default() },
    )
    .unwrap();
    for c in &out.chains {
        if c.chain == 2 {
            match &c.status {
                ChainStatus::Failed(m) => {
                    assert!(m.contains("chain 2 panicked") && m.contains("model bug"), "{m}")
                }
                other => panic!("{other:?}"),
            }
            assert!(!c.warmup_stats.is_empty(), "draws before the panic are kept");
            assert!(c.grad_evals <= 1000);
        } else {
            assert_eq!(c.status, ChainStatus::Completed);
            assert_eq!(c.num_draws(), 300);
        }
    }
    assert_eq!(out.failures().len(), 1);
    let streamed = sink.take();
    let kept: usize = out.chains.iter().map(|c| c.warmup_stats.len() + c.stats.len()).sum();
    assert_eq!(streamed.len(), kept);
}

/// Returns a Fatal error after `after` evaluations.
struct FatalAfter {
    evals: usize,
    after: usize,
}
impl LogDensity<f64> for FatalAfter {
    fn dim(&self) -> usize {
        1
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        self.evals += 1;
        if self.evals > self.after {
            return Err(LogpError::fatal("data file vanished"));
        }
        StdNormal(1).logp_grad(x, g)
    }
}

#[test]
fn a_fatal_error_stops_only_its_chain_with_the_message() {
    let out = sample(
        &small(3),
        |c| FatalAfter { evals: 0, after: if c == 1 { 300 } else { usize::MAX } },
        RunOptions::default(),
    )
    .unwrap();
    let f = out.failures();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, 1);
    assert!(f[0].1.contains("data file vanished") && f[0].1.contains("fatal"), "{}", f[0].1);
    assert_eq!(out.chains.iter().filter(|c| c.is_completed()).count(), 3);
}

/// NaN where x > 1 and recoverable errors where x < −1.5 (a truncated
/// normal): divergences, no crash, and every draw inside the region.
struct Truncated;
impl LogDensity<f64> for Truncated {
    fn dim(&self) -> usize {
        2
    }
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        if x[0] > 1.0 {
            g.fill(f64::NAN);
            return Ok(f64::NAN);
        }
        if x[0] < -1.5 {
            return Err(LogpError::recoverable("x0 below −1.5"));
        }
        StdNormal(2).logp_grad(x, g)
    }
}

#[test]
fn nan_and_recoverable_errors_are_divergences() {
    let mut s = small(4);
    s.init = exmc_nuts::Init::Given(vec![0.0, 0.0]);
    let out = sample(&s, |_| Truncated, RunOptions::default()).unwrap();
    assert!(out.all_completed(), "{:?}", out.failures());
    let div: usize = out.chains.iter().map(|c| c.divergences_warmup + c.divergences_sampling).sum();
    assert!(div > 0);
    for c in &out.chains {
        assert!(c.column(0).iter().all(|&x| (-1.5..=1.0).contains(&x)));
    }
}

/// No finite point anywhere: initialisation fails with the reason.
#[test]
fn initialisation_failure_is_explained() {
    struct Nowhere;
    impl LogDensity<f64> for Nowhere {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&mut self, _: &[f64], _: &mut [f64]) -> Result<f64, LogpError> {
            Err(LogpError::recoverable("sigma must be positive"))
        }
    }
    let out = sample(&small(1), |_| Nowhere, RunOptions::default()).unwrap();
    for (_, m) in out.failures() {
        assert!(m.contains("100 attempts") && m.contains("sigma must be positive"), "{m}");
    }
    assert_eq!(out.failures().len(), 4);
}

#[test]
fn cancellation_keeps_the_draws_made_so_far() {
    let cancel = AtomicBool::new(false);
    let seen = AtomicUsize::new(0);
    let sink = |_chain: usize, _d: &Draw<'_>| {
        if seen.fetch_add(1, Ordering::SeqCst) + 1 == 150 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let mut s = small(7);
    s.num_draws = 100_000;
    s.threads = 2;
    let out = sample(&s, |_| StdNormal(2), RunOptions { sink: Some(&sink), cancel: Some(&cancel), ..Default::default() })
        .unwrap();
    let kept: usize = out.chains.iter().map(|c| c.num_draws()).sum();
    assert!((150..4 * 100_000).contains(&kept));
    assert_eq!(kept, seen.load(Ordering::SeqCst), "every streamed draw is in the results");
    for c in &out.chains {
        assert_eq!(c.status, ChainStatus::Cancelled);
        assert_eq!(c.draws.len(), c.num_draws() * 2);
    }
}

#[test]
fn channel_sink_and_progress() {
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = ChannelSink(tx);
    let progress = Progress::new(4);
    let mut s = small(8);
    s.save_warmup = true;
    // The progress is readable while sampling: a sink peeks at it.
    let peeks = AtomicUsize::new(0);
    struct Both<'a> {
        ch: &'a ChannelSink,
        progress: &'a Progress,
        peeks: &'a AtomicUsize,
    }
    impl exmc_nuts::DrawSink for Both<'_> {
        fn on_draw(&self, chain: usize, d: &Draw<'_>) {
            let snap = self.progress.snapshot()[chain];
            assert_eq!(snap.iterations_done, d.iteration, "progress is updated right after the sink");
            self.peeks.fetch_add(1, Ordering::Relaxed);
            self.ch.on_draw(chain, d)
        }
    }
    let both = Both { ch: &sink, progress: &progress, peeks: &peeks };
    let out = sample(&s, |_| StdNormal(2), RunOptions { sink: Some(&both), progress: Some(&progress), ..Default::default() })
        .unwrap();
    drop(sink);
    let got: Vec<_> = rx.iter().collect();
    assert_eq!(got.len(), 4 * 500);
    assert_eq!(peeks.load(Ordering::Relaxed), 4 * 500);
    for c in 0..4 {
        let mine: Vec<_> = got.iter().filter(|d| d.chain == c).collect();
        assert_eq!(mine.len(), 500);
        assert!(mine.windows(2).all(|w| w[1].iteration == w[0].iteration + 1));
        assert_eq!(mine[250].position, out.chains[c].draw(50));
    }
    for (c, snap) in progress.snapshot().iter().enumerate() {
        assert_eq!(snap.phase, ChainPhase::Completed);
        assert_eq!((snap.iterations_done, snap.total_iterations), (500, 500));
        assert_eq!(snap.divergences_sampling, out.chains[c].divergences_sampling);
        assert_eq!(snap.step_size, out.chains[c].step_size);
    }
}

#[test]
fn bad_settings_are_errors_not_panics() {
    let s = Settings { chains: 0, ..Settings::default() };
    assert!(sample(&s, |_| StdNormal(1), RunOptions::default()).is_err());
    let s = Settings { init: exmc_nuts::Init::Given(vec![0.0; 5]), ..small(1) };
    let out = sample(&s, |_| StdNormal(2), RunOptions::default()).unwrap();
    assert!(out.failures().iter().all(|(_, m)| m.contains("length 5")));
    let out = sample(&small(1), |_| StdNormal(0), RunOptions::default()).unwrap();
    assert!(out.failures().iter().all(|(_, m)| m.contains("no parameters")));
}
