//! The NUTS transition as a pure step: `step(rng, state, params) → (state, info)`.
//!
//! One transition (Stan's `base_nuts::transition`, multinomial variant):
//! draw `p ~ N(0, M)`; then repeatedly pick a direction (forward w.p. ½),
//! build a subtree as long as the whole trajectory so far on that side
//! ([`crate::tree::build_tree`]); stop if the new subtree is invalid (it is
//! then discarded), else replace the current sample by the subtree's proposal
//! with probability `min(1, W_new / W_old)` (biased progressive sampling,
//! which favours moving away from the start), and stop if the merged
//! trajectory U-turns ([`crate::tree::merge_criterion`]) or reaches
//! `max_depth` doublings.
//!
//! All random numbers come from the chain's one RNG, consumed in order:
//! momentum, then direction and merge uniforms; the next transition's momentum
//! draw follows them in the stream, so nothing overlaps.
//!
//! `Nuts` owns the scratch buffers (allocated once): `step` allocates nothing.

use crate::hamiltonian::{Counted, Point};
use crate::metric::Metric;
use crate::tree::{biased_merge, build_tree, merge_criterion, Proposal, Subtree, TreeCtx, TreeLevel};
use exmc_core::{LogDensity, LogpError};
use rand::Rng;

/// The chain's state between transitions.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub q: Vec<f64>,
    pub grad: Vec<f64>,
    pub logp: f64,
}

/// Parameters of one transition.
#[derive(Clone, Debug, PartialEq)]
pub struct StepParams {
    pub step_size: f64,
    pub metric: Metric,
    pub max_depth: usize,
    pub max_energy_error: f64,
    /// TEST ONLY: the predecessor's bug (see [`crate::tree`]).
    #[doc(hidden)]
    pub merge_invalid: bool,
}

/// What one transition did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransitionInfo {
    /// Mean of `min(1, exp(H0 − H))` over all leapfrog states built (Stan).
    pub accept_stat: f64,
    pub n_leapfrog: u64,
    /// Number of accepted doublings (Stan's `treedepth__`).
    pub depth: usize,
    pub divergent: bool,
    /// `H` at the selected point.
    pub energy: f64,
    /// `H(selected) − H0`.
    pub energy_error: f64,
    /// Signed leapfrog index of the selected point (0 = the starting point).
    pub index_in_trajectory: i64,
    /// True when the tree stopped at `max_depth` without a U-turn.
    pub reached_max_depth: bool,
    pub step_size: f64,
}

/// The NUTS kernel for one chain: the density plus preallocated buffers.
pub struct Nuts<D> {
    pub density: Counted<D>,
    dim: usize,
    fwd: Point,
    bck: Point,
    near_p: Vec<f64>,
    near_v: Vec<f64>,
    rho: Vec<f64>,
    sample: Proposal,
    sub: Subtree,
    levels: Vec<TreeLevel>,
}

impl<D: LogDensity<f64>> Nuts<D> {
    /// Buffers for trees up to `max_depth`.
    pub fn new(density: D, max_depth: usize) -> Self {
        let dim = density.dim();
        Nuts {
            density: Counted::new(density),
            dim,
            fwd: Point::new(dim),
            bck: Point::new(dim),
            near_p: vec![0.0; dim],
            near_v: vec![0.0; dim],
            rho: vec![0.0; dim],
            sample: Proposal::new(dim),
            sub: Subtree::new(dim),
            levels: (1..max_depth.max(1)).map(|_| TreeLevel::new(dim)).collect(),
        }
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Gradient evaluations so far.
    pub fn grad_evals(&self) -> u64 {
        self.density.evals
    }

    /// One NUTS transition from `state` (updated in place). `Err` only for a
    /// fatal density error; recoverable failures are divergences.
    pub fn step<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        state: &mut State,
        params: &StepParams,
    ) -> Result<TransitionInfo, LogpError> {
        if self.levels.len() + 1 < params.max_depth {
            self.levels.resize(params.max_depth - 1, TreeLevel::new(self.dim));
        }
        let metric = &params.metric;
        let eps = params.step_size;

        let fwd = &mut self.fwd;
        fwd.q.copy_from_slice(&state.q);
        fwd.grad.copy_from_slice(&state.grad);
        fwd.logp = state.logp;
        fwd.resample_momentum(rng, metric);
        self.bck.copy_from(fwd);
        let h0 = fwd.energy();
        self.sample.set(fwd, h0, 0);
        self.rho.copy_from_slice(&fwd.p);
        let mut log_sum_weight = 0.0; // log exp(H0 − H0)

        let mut ctx = TreeCtx {
            density: &mut self.density,
            rng,
            metric,
            eps,
            sign: 1,
            steps: 0,
            h0,
            max_energy_error: params.max_energy_error,
            n_leapfrog: 0,
            sum_metro_prob: 0.0,
            divergent: false,
            merge_invalid: params.merge_invalid,
        };
        let (mut fwd_steps, mut bck_steps) = (0i64, 0i64);
        let mut depth = 0;
        let mut turned = false;

        while depth < params.max_depth {
            let forward = ctx.rng.random::<f64>() > 0.5;
            let (z, other) = if forward { (&mut self.fwd, &self.bck) } else { (&mut self.bck, &self.fwd) };
            self.near_p.copy_from_slice(&z.p);
            self.near_v.copy_from_slice(&z.v);
            ctx.eps = if forward { eps } else { -eps };
            ctx.sign = if forward { 1 } else { -1 };
            ctx.steps = if forward { fwd_steps } else { bck_steps };

            let valid = build_tree(&mut ctx, z, depth, &mut self.sub, &mut self.levels)?;
            if forward {
                fwd_steps = ctx.steps;
            } else {
                bck_steps = ctx.steps;
            }
            if !valid && !ctx.merge_invalid {
                break;
            }

            // Biased progressive sampling: move w.p. min(1, W_sub / W_old).
            let (lsw, accept) = biased_merge(log_sum_weight, self.sub.log_sum_weight);
            if accept >= 1.0 || ctx.rng.random::<f64>() < accept {
                std::mem::swap(&mut self.sample, &mut self.sub.proposal);
            }
            log_sum_weight = lsw;
            if !valid {
                break; // only reached in the test-only buggy mode
            }
            depth += 1;

            let ok = merge_criterion(
                &other.v,
                &self.near_p,
                &self.near_v,
                &self.rho,
                &self.sub.beg_p,
                &self.sub.beg_v,
                &z.v,
                &self.sub.rho,
            );
            for (r, s) in self.rho.iter_mut().zip(&self.sub.rho) {
                *r += s;
            }
            if !ok {
                turned = true;
                break;
            }
        }

        let n_leapfrog = ctx.n_leapfrog;
        let accept_stat = if n_leapfrog > 0 { ctx.sum_metro_prob / n_leapfrog as f64 } else { 0.0 };
        let divergent = ctx.divergent;
        state.q.copy_from_slice(&self.sample.q);
        state.grad.copy_from_slice(&self.sample.grad);
        state.logp = self.sample.logp;
        Ok(TransitionInfo {
            accept_stat,
            n_leapfrog,
            depth,
            divergent,
            energy: self.sample.energy,
            energy_error: self.sample.energy - h0,
            index_in_trajectory: self.sample.index,
            reached_max_depth: depth == params.max_depth && !turned && !divergent,
            step_size: eps,
        })
    }
}
