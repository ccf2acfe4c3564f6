//! One chain: initial point, warmup (Stan's windowed adaptation), sampling.
//!
//! Per warmup iteration `i` (Stan's `adapt_diag_e_nuts::transition`):
//! 1. one NUTS transition with the current step size and metric;
//! 2. dual averaging of the step size with its accept statistic;
//! 3. in a slow window, the (non-divergent) draw feeds the metric estimator;
//! 4. at the end of a slow window: new metric, a fresh step-size search from
//!    the current step size, dual averaging restarted with `μ = log(10 ε)`.
//!
//! After the last warmup iteration the step size is fixed at `exp(x̄)`.
//! Before warmup: the initial point, the initial metric (unit, or `1/|∇|` for
//! `GradDiag`) and a step-size search from `init_step_size`; `μ = log(10 ε)`
//! uses the searched ε (Stan uses the user's ε; the searched one is a better
//! centre when the posterior scale is far from 1).

use crate::adapt::{find_reasonable_step_size, DualAveraging, MassMatrixAdapt, WarmupSchedule};
use crate::init::initial_state;
use crate::kernel::{Nuts, StepParams};
use crate::progress::{ChainPhase, ChainProgress};
use crate::settings::Settings;
use crate::sink::{Draw, DrawSink};
use crate::stats::{ChainResult, ChainStatus, DrawStats};
use exmc_core::LogDensity;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The chain's random stream: ChaCha8 seeded by `seed`, stream number `chain`.
pub fn chain_rng(seed: u64, chain: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(chain as u64);
    rng
}

/// Hooks a chain reports to (all optional).
#[derive(Clone, Copy, Default)]
pub struct ChainHooks<'a> {
    pub sink: Option<&'a dyn DrawSink>,
    pub cancel: Option<&'a AtomicBool>,
    pub progress: Option<&'a ChainProgress>,
}

/// Runs chain `chain` to the end, writing into `out` as it goes (so a caller
/// that catches a panic still has the draws made before it). Sets
/// `out.status` except when the density panics.
pub fn run_chain<D: LogDensity<f64>>(
    density: D,
    settings: &Settings,
    chain: usize,
    hooks: ChainHooks<'_>,
    out: &mut ChainResult,
) {
    let fail = |out: &mut ChainResult, msg: String| out.status = ChainStatus::Failed(msg);
    let dim = density.dim();
    out.dim = dim;
    if let Err(e) = settings.validate(dim) {
        return fail(out, e.to_string());
    }
    let mut rng = chain_rng(settings.seed, chain);
    let mut nuts = Nuts::new(density, settings.max_depth);
    let total = settings.num_warmup + settings.num_draws;
    if let Some(p) = hooks.progress {
        p.start(total);
    }
    let t_warmup = Instant::now();

    let mut state = match initial_state(&mut nuts.density, &settings.init, chain, &mut rng) {
        Ok(s) => s,
        Err(e) => {
            out.grad_evals = nuts.grad_evals();
            return fail(out, format!("chain {chain}: {e}"));
        }
    };
    let mut params = StepParams {
        step_size: settings.init_step_size,
        metric: MassMatrixAdapt::initial_metric(settings.metric, &state.grad),
        max_depth: settings.max_depth,
        max_energy_error: settings.max_energy_error,
        merge_invalid: settings.unsound_merge_invalid_subtrees,
    };
    match find_reasonable_step_size(&mut nuts.density, &params.metric, &state, &mut rng, params.step_size) {
        Ok(eps) => params.step_size = eps,
        Err(e) => {
            out.grad_evals = nuts.grad_evals();
            return fail(out, format!("chain {chain}: {e}"));
        }
    }
    let schedule = WarmupSchedule::stan(settings.num_warmup);
    let mut dual = DualAveraging::new(settings.target_accept, params.step_size);
    let mut mass = MassMatrixAdapt::new(settings.metric, dim);

    out.draws.reserve_exact(settings.num_draws * dim);
    out.stats.reserve_exact(settings.num_draws);
    if settings.save_warmup {
        out.warmup_draws.reserve_exact(settings.num_warmup * dim);
        out.warmup_stats.reserve_exact(settings.num_warmup);
    }
    let mut t_sampling = Instant::now();
    if settings.num_warmup == 0 {
        out.step_size = params.step_size;
        out.inv_metric = Some(params.metric.inv_metric());
        out.warmup_seconds = t_warmup.elapsed().as_secs_f64();
        announce_warmup_end(hooks, chain, out);
    }

    for it in 0..total {
        if hooks.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            out.grad_evals = nuts.grad_evals();
            finish_timing(out, settings, it, t_warmup, t_sampling);
            out.status = ChainStatus::Cancelled;
            return;
        }
        let warmup = it < settings.num_warmup;
        let info = match nuts.step(&mut rng, &mut state, &params) {
            Ok(info) => info,
            Err(e) => {
                out.grad_evals = nuts.grad_evals();
                finish_timing(out, settings, it, t_warmup, t_sampling);
                return fail(out, format!("chain {chain}, iteration {it}: fatal log-density error: {}", e.message));
            }
        };
        let stats = DrawStats {
            lp: state.logp,
            accept_stat: info.accept_stat,
            step_size: info.step_size,
            tree_depth: info.depth as u32,
            n_leapfrog: info.n_leapfrog,
            divergent: info.divergent,
            energy: info.energy,
            energy_error: info.energy_error,
            warmup,
        };
        if warmup {
            out.divergences_warmup += info.divergent as usize;
            if settings.save_warmup {
                out.warmup_draws.extend_from_slice(&state.q);
                out.warmup_stats.push(stats);
            }
        } else {
            out.divergences_sampling += info.divergent as usize;
            out.draws.extend_from_slice(&state.q);
            out.stats.push(stats);
        }
        out.grad_evals = nuts.grad_evals();
        if let Some(sink) = hooks.sink {
            if !warmup || settings.save_warmup {
                sink.on_draw(chain, &Draw { iteration: it, position: &state.q, stats: &stats });
            }
        }

        if warmup {
            params.step_size = dual.update(info.accept_stat);
            if schedule.collects(it) && !info.divergent {
                mass.add(&state.q, &state.grad);
            }
            if schedule.window_ends_at(it) {
                if let Some(m) = mass.estimate() {
                    params.metric = m;
                }
                mass.reset();
                match find_reasonable_step_size(&mut nuts.density, &params.metric, &state, &mut rng, params.step_size)
                {
                    Ok(eps) => params.step_size = eps,
                    Err(e) => {
                        out.grad_evals = nuts.grad_evals();
                        finish_timing(out, settings, it + 1, t_warmup, t_sampling);
                        return fail(out, format!("chain {chain}, iteration {it}: {e}"));
                    }
                }
                dual.restart(params.step_size);
            }
            if it + 1 == settings.num_warmup {
                params.step_size = dual.final_step_size();
                out.step_size = params.step_size;
                out.inv_metric = Some(params.metric.inv_metric());
                out.warmup_seconds = t_warmup.elapsed().as_secs_f64();
                announce_warmup_end(hooks, chain, out);
                t_sampling = Instant::now();
            }
        }
        if let Some(p) = hooks.progress {
            p.record(it + 1, warmup, info.divergent, info.step_size, info.n_leapfrog);
        }
    }
    out.grad_evals = nuts.grad_evals();
    finish_timing(out, settings, total, t_warmup, t_sampling);
    out.status = ChainStatus::Completed;
    if let Some(p) = hooks.progress {
        p.set_phase(ChainPhase::Completed);
    }
}

/// Tells the sink the adapted step size and inverse metric (the adaptation block).
fn announce_warmup_end(hooks: ChainHooks<'_>, chain: usize, out: &ChainResult) {
    if let (Some(sink), Some(m)) = (hooks.sink, &out.inv_metric) {
        sink.on_warmup_end(chain, out.step_size, m);
    }
}

/// Fills in the phase timings when a chain stops after `done` iterations.
fn finish_timing(out: &mut ChainResult, settings: &Settings, done: usize, t_warmup: Instant, t_sampling: Instant) {
    if settings.num_warmup > 0 && done <= settings.num_warmup {
        out.warmup_seconds = t_warmup.elapsed().as_secs_f64();
    } else {
        out.sampling_seconds = t_sampling.elapsed().as_secs_f64();
    }
}
