//! Recursive doubling of a NUTS trajectory (Hoffman & Gelman 2014) with
//! multinomial sampling (Betancourt 2017, "A Conceptual Introduction to HMC",
//! App. A) and the generalised U-turn criterion on momentum sums (Betancourt
//! 2013) including Stan's two extra checks across merged subtrees.
//!
//! A subtree of depth `k` holds `2^k` consecutive leapfrog states. It is
//! built as an *initial* half followed by a *final* half; after both halves
//! are valid they are merged:
//!
//! * the proposal moves to the final half with probability
//!   `w_final / (w_init + w_final)` (uniform progressive sampling, weights
//!   `w = exp(−H)`), so it is a draw ∝ `exp(−H)` over the whole subtree;
//! * the U-turn checks of [`merge_criterion`] are applied.
//!
//! A half that diverged or turned makes the whole subtree invalid: the
//! caller throws it away and never draws from it (drawing from it was the
//! predecessor's bug, kept behind `merge_invalid` for the test that shows
//! the bias).
//!
//! Ordering: "beginning" means the end built first (nearest the starting
//! point), "end" the one built last. The U-turn criterion is symmetric in
//! its two end velocities, so backward subtrees (built with ε < 0) use the
//! same code; momenta keep their forward-time orientation.
//!
//! Memory: every buffer is allocated once per chain ([`TreeLevel`] per depth);
//! merging swaps `Vec` handles instead of copying.

use crate::hamiltonian::{leapfrog, Counted, Point};
use crate::metric::{dot, Metric};
use exmc_core::{LogDensity, LogpError};
use rand::Rng;

/// The state a subtree proposes (position and what the next transition and
/// the statistics need).
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub q: Vec<f64>,
    pub grad: Vec<f64>,
    pub logp: f64,
    /// `H` at the proposed point (with its momentum).
    pub energy: f64,
    /// Signed leapfrog-step index along the trajectory (0 = starting point).
    pub index: i64,
}

impl Proposal {
    pub fn new(dim: usize) -> Self {
        Proposal { q: vec![0.0; dim], grad: vec![0.0; dim], logp: 0.0, energy: 0.0, index: 0 }
    }

    #[inline]
    pub fn set(&mut self, z: &Point, energy: f64, index: i64) {
        self.q.copy_from_slice(&z.q);
        self.grad.copy_from_slice(&z.grad);
        self.logp = z.logp;
        self.energy = energy;
        self.index = index;
    }
}

/// What a finished subtree hands to its parent. Its *end* is the integrator's
/// current point, so only the beginning is stored.
#[derive(Clone, Debug)]
pub struct Subtree {
    /// Momentum at the beginning.
    pub beg_p: Vec<f64>,
    /// Velocity `M⁻¹p` at the beginning.
    pub beg_v: Vec<f64>,
    /// Sum of the momenta of all states (ρ).
    pub rho: Vec<f64>,
    /// `log Σ exp(H0 − H)` over the states.
    pub log_sum_weight: f64,
    pub proposal: Proposal,
}

impl Subtree {
    pub fn new(dim: usize) -> Self {
        Subtree {
            beg_p: vec![0.0; dim],
            beg_v: vec![0.0; dim],
            rho: vec![0.0; dim],
            log_sum_weight: f64::NEG_INFINITY,
            proposal: Proposal::new(dim),
        }
    }
}

/// Scratch for building one subtree of a given depth ≥ 1.
#[derive(Clone, Debug)]
pub struct TreeLevel {
    init_end_p: Vec<f64>,
    init_end_v: Vec<f64>,
    fin: Subtree,
}

impl TreeLevel {
    pub fn new(dim: usize) -> Self {
        TreeLevel { init_end_p: vec![0.0; dim], init_end_v: vec![0.0; dim], fin: Subtree::new(dim) }
    }
}

/// Per-transition context shared by the whole recursion.
pub struct TreeCtx<'a, D, R: ?Sized> {
    pub density: &'a mut Counted<D>,
    pub rng: &'a mut R,
    pub metric: &'a Metric,
    /// Signed step size (direction × ε).
    pub eps: f64,
    /// +1 forward, −1 backward: for the trajectory index.
    pub sign: i64,
    /// Steps already taken in this direction.
    pub steps: i64,
    /// Energy of the starting point.
    pub h0: f64,
    pub max_energy_error: f64,
    pub n_leapfrog: u64,
    /// `Σ min(1, exp(H0 − H))` over all leapfrog states (Stan's accept_stat).
    pub sum_metro_prob: f64,
    pub divergent: bool,
    /// TEST ONLY: draw from invalid subtrees (the predecessor's bug).
    pub merge_invalid: bool,
}

/// `log(exp(a) + exp(b))`, exact for infinities.
#[inline]
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// Merging weights `a` (kept) and `b` (new), both logs: returns
/// `(log(e^a + e^b), e^b / (e^a + e^b))` with one `exp` and one `ln_1p`.
#[inline]
pub fn uniform_merge(a: f64, b: f64) -> (f64, f64) {
    if b == f64::NEG_INFINITY {
        return (a, 0.0);
    }
    if a == f64::NEG_INFINITY {
        return (b, 1.0);
    }
    let d = b - a;
    let e = (-d.abs()).exp(); // ∈ (0, 1]
    let lse = a.max(b) + e.ln_1p();
    let p = if d >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
    (lse, p)
}

/// Biased progressive sampling (top level): returns `(log(e^a + e^b),
/// min(1, e^b / e^a))` with one `exp` and one `ln_1p`.
#[inline]
pub fn biased_merge(a: f64, b: f64) -> (f64, f64) {
    if b == f64::NEG_INFINITY {
        return (a, 0.0);
    }
    if a == f64::NEG_INFINITY {
        return (b, 1.0);
    }
    if b > a {
        (b + (a - b).exp().ln_1p(), 1.0)
    } else {
        let e = (b - a).exp();
        (a + e.ln_1p(), e)
    }
}

/// The U-turn test when subtree `A` (built earlier) is joined by subtree `B`
/// (built after it, adjacent to A's `near` end). Continue only if all three
/// hold (`crit(x, y, ρ) = x·ρ > 0 ∧ y·ρ > 0`, with `x`, `y` velocities):
///
/// 1. the merged tree: `crit(v_A,far, v_B,far, ρ_A + ρ_B)`;
/// 2. A plus B's first state: `crit(v_A,far, v_B,near, ρ_A + p_B,near)`;
/// 3. B plus A's last state: `crit(v_A,near, v_B,far, ρ_B + p_A,near)`.
///
/// Checks 2 and 3 are Stan's cross-subtree checks (stan-dev/stan#2800): they
/// catch U-turns that only show across the seam. Dot products of sums are
/// taken as sums of dot products, so no scratch vector is needed.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn merge_criterion(
    a_far_v: &[f64],
    a_near_p: &[f64],
    a_near_v: &[f64],
    a_rho: &[f64],
    b_near_p: &[f64],
    b_near_v: &[f64],
    b_far_v: &[f64],
    b_rho: &[f64],
) -> bool {
    let a_far_a_rho = dot(a_far_v, a_rho);
    let b_far_b_rho = dot(b_far_v, b_rho);
    let whole = a_far_a_rho + dot(a_far_v, b_rho) > 0.0 && dot(b_far_v, a_rho) + b_far_b_rho > 0.0;
    if !whole {
        return false;
    }
    let first = a_far_a_rho + dot(a_far_v, b_near_p) > 0.0
        && dot(b_near_v, a_rho) + dot(b_near_v, b_near_p) > 0.0;
    if !first {
        return false;
    }
    dot(a_near_v, b_rho) + dot(a_near_v, a_near_p) > 0.0 && b_far_b_rho + dot(b_far_v, a_near_p) > 0.0
}

/// Builds a subtree of `2^depth` leapfrog steps from `z` (which ends at the
/// subtree's last state) into `out`. Returns `Ok(false)` if it diverged or
/// U-turned anywhere inside (then `out` must not be drawn from), `Err` on a
/// fatal density error. `levels[k-1]` is the scratch of depth `k`.
pub fn build_tree<D: LogDensity<f64>, R: Rng + ?Sized>(
    ctx: &mut TreeCtx<'_, D, R>,
    z: &mut Point,
    depth: usize,
    out: &mut Subtree,
    levels: &mut [TreeLevel],
) -> Result<bool, LogpError> {
    if depth == 0 {
        return leaf(ctx, z, out);
    }
    let (lower, this) = levels.split_at_mut(depth - 1);
    let level = &mut this[0];

    // Initial half: writes straight into `out` (its beginning is ours).
    let valid_init = build_tree(ctx, z, depth - 1, out, lower)?;
    if !valid_init {
        return Ok(false);
    }
    level.init_end_p.copy_from_slice(&z.p);
    level.init_end_v.copy_from_slice(&z.v);

    // Final half.
    let fin = &mut level.fin;
    let valid_fin = build_tree(ctx, z, depth - 1, fin, lower)?;
    if !valid_fin && !ctx.merge_invalid {
        return Ok(false);
    }

    // Uniform progressive sampling: move to the final half w.p. w_fin / w_sub.
    let (lsw_sub, accept) = uniform_merge(out.log_sum_weight, fin.log_sum_weight);
    if accept >= 1.0 || ctx.rng.random::<f64>() < accept {
        std::mem::swap(&mut out.proposal, &mut fin.proposal);
    }
    out.log_sum_weight = lsw_sub;
    if !valid_fin {
        return Ok(false); // only reached in the test-only buggy mode
    }

    let ok = merge_criterion(
        &out.beg_v,
        &level.init_end_p,
        &level.init_end_v,
        &out.rho,
        &fin.beg_p,
        &fin.beg_v,
        &z.v,
        &fin.rho,
    );
    for (r, f) in out.rho.iter_mut().zip(&fin.rho) {
        *r += f;
    }
    Ok(ok)
}

/// One leapfrog step: a subtree of depth 0.
#[inline]
fn leaf<D: LogDensity<f64>, R: Rng + ?Sized>(
    ctx: &mut TreeCtx<'_, D, R>,
    z: &mut Point,
    out: &mut Subtree,
) -> Result<bool, LogpError> {
    let finite = leapfrog(ctx.density, ctx.metric, z, ctx.eps)?;
    ctx.n_leapfrog += 1;
    ctx.steps += 1;
    let h = if finite { z.energy() } else { f64::INFINITY };
    let log_w = ctx.h0 - h; // −∞ for an unusable point
    let divergent = !(h - ctx.h0 <= ctx.max_energy_error); // NaN-safe
    if divergent {
        ctx.divergent = true;
    }
    ctx.sum_metro_prob += if log_w > 0.0 { 1.0 } else { log_w.exp() };
    out.log_sum_weight = log_w;
    out.proposal.set(z, h, ctx.sign * ctx.steps);
    out.beg_p.copy_from_slice(&z.p);
    out.beg_v.copy_from_slice(&z.v);
    out.rho.copy_from_slice(&z.p);
    Ok(!divergent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_add_exp_handles_infinities() {
        assert_eq!(log_add_exp(f64::NEG_INFINITY, 1.5), 1.5);
        assert_eq!(log_add_exp(1.5, f64::NEG_INFINITY), 1.5);
        assert!((log_add_exp(0.0, 0.0) - 2f64.ln()).abs() < 1e-15);
        assert!((log_add_exp(1000.0, 1000.0) - (1000.0 + 2f64.ln())).abs() < 1e-12);
    }

    #[test]
    fn merges_match_their_definitions() {
        for (a, b) in [(0.3, -1.2), (-1.2, 0.3), (2.0, 2.0), (-700.0, 5.0), (f64::NEG_INFINITY, 1.0), (1.0, f64::NEG_INFINITY)] {
            let lse = log_add_exp(a, b);
            let (l, p) = uniform_merge(a, b);
            assert!((l - lse).abs() < 1e-12, "{a} {b}");
            assert!((p - (b - lse).exp()).abs() < 1e-12, "{a} {b}");
            let (l, p) = biased_merge(a, b);
            assert!((l - lse).abs() < 1e-12);
            assert!((p - (b - a).exp().min(1.0)).abs() < 1e-12 || (a == f64::NEG_INFINITY && p == 1.0));
        }
    }

    /// 1-D: A moving right, B moving right → continue; B reversed → stop.
    #[test]
    fn criterion_detects_u_turn() {
        let one = [1.0];
        assert!(merge_criterion(&one, &one, &one, &[2.0], &one, &one, &one, &[2.0]));
        // B's far end turned back hard.
        assert!(!merge_criterion(&one, &one, &one, &[2.0], &one, &one, &[-1.0], &[-3.0]));
    }

    /// A U-turn visible only across the seam: each subtree and the merged tree
    /// pass the plain check, but the state right after the seam points back
    /// against A's momentum sum (check 2 fails).
    #[test]
    fn cross_subtree_check_catches_seam_turn() {
        // 2-D, identity metric (p = v).
        let a_far = [1.0, 0.0];
        let a_near = [0.0, 1.0];
        let a_rho = [1.0, 1.0];
        let b_near = [-1.5, -0.2];
        let b_far = [1.0, 2.0];
        let b_rho = [-0.5, 1.8];
        let plain_whole = {
            let rho = [a_rho[0] + b_rho[0], a_rho[1] + b_rho[1]];
            dot(&a_far, &rho) > 0.0 && dot(&b_far, &rho) > 0.0
        };
        assert!(plain_whole);
        assert!(!merge_criterion(&a_far, &a_near, &a_near, &a_rho, &b_near, &b_near, &b_far, &b_rho));
    }
}
