//! The NUTS transition on its own (fixed step size and metric, no warmup),
//! and the predecessor's bug: drawing from a subtree that diverged or turned.

mod common;
use common::*;
use exmc_nuts::adapt::MassMatrixAdapt;
use exmc_nuts::chain::chain_rng;
use exmc_nuts::hamiltonian::Counted;
use exmc_nuts::init::initial_state;
use exmc_nuts::metric::{DenseMetric, DiagMetric};
use exmc_nuts::{Init, Metric, MetricKind, Nuts, StepParams};
use exmc_core::LogDensity;

/// Runs `chains × n` transitions with fixed parameters; returns per-chain
/// draws of coordinate 0, per-chain draws of all coordinates, and the infos.
fn run_kernel<D: LogDensity<f64> + Clone>(
    d: &D,
    params: &StepParams,
    chains: usize,
    n: usize,
    seed: u64,
) -> (Vec<Vec<Vec<f64>>>, Vec<exmc_nuts::TransitionInfo>) {
    let mut all = vec![];
    let mut infos = vec![];
    for c in 0..chains {
        let mut rng = chain_rng(seed, c);
        let mut nuts = Nuts::new(d.clone(), params.max_depth);
        let mut state = initial_state(&mut Counted::new(d.clone()), &Init::Random, c, &mut rng).unwrap();
        let mut draws = vec![];
        for _ in 0..n {
            let info = nuts.step(&mut rng, &mut state, params).unwrap();
            infos.push(info);
            draws.push(state.q.clone());
        }
        all.push(draws);
    }
    (all, infos)
}

fn coord(all: &[Vec<Vec<f64>>], j: usize, f: impl Fn(f64) -> f64) -> Vec<Vec<f64>> {
    all.iter().map(|c| c.iter().map(|x| f(x[j])).collect()).collect()
}

fn params(step_size: f64, metric: Metric) -> StepParams {
    StepParams { step_size, metric, max_depth: 10, max_energy_error: 1000.0, merge_invalid: false }
}

/// Invariance of N(0,1) under the bare kernel for small, typical and
/// near-unstable step sizes (ε = 1.9 < 2 is the leapfrog stability limit).
#[test]
fn kernel_preserves_std_normal_at_any_step_size() {
    for eps in [0.2, 0.9, 1.5, 1.9] {
        let (all, infos) = run_kernel(&StdNormal(1), &params(eps, Metric::unit_diag(1)), 4, 50_000, 7);
        let label = format!("kernel eps {eps}");
        assert_z(&format!("{label} mean"), zcheck(&coord(&all, 0, |x| x), 0.0));
        let v = zcheck(&coord(&all, 0, |x| x * x), 1.0);
        assert_z(&format!("{label} var"), v);
        assert_z(&format!("{label} P(x ≤ −1.645)"), zcheck(&coord(&all, 0, |x| (x <= -1.644_853_626_951_472_2) as u8 as f64), 0.05));
        for i in &infos {
            assert!(i.n_leapfrog >= (1 << i.depth) - 1 && i.n_leapfrog < 1 << (i.depth + 1), "{i:?}");
            assert!((0.0..=1.0).contains(&i.accept_stat));
        }
    }
}

/// Correlated target with each metric kind held fixed (dense = the true covariance).
#[test]
fn kernel_preserves_correlated_gaussian_with_each_metric() {
    let metrics = [
        Metric::unit_diag(2),
        Metric::Diag(DiagMetric::from_inv(vec![0.3, 3.0]).unwrap()),
        Metric::Dense(DenseMetric::from_inv(2, vec![1.0, 0.9, 0.9, 1.0]).unwrap()),
    ];
    for (k, m) in metrics.into_iter().enumerate() {
        let eps = if k == 2 { 0.9 } else { 0.25 };
        let (all, _) = run_kernel(&Corr2(0.9), &params(eps, m), 4, 20_000, 8);
        for j in 0..2 {
            assert_z(&format!("kernel metric {k} mean[{j}]"), zcheck(&coord(&all, j, |x| x), 0.0));
            assert_z(&format!("kernel metric {k} var[{j}]"), zcheck(&coord(&all, j, |x| x * x), 1.0));
        }
    }
}

/// The trajectory really extends both ways: the selected state's index is
/// symmetric around 0 and both signs occur about equally (a hard-coded
/// direction in the backward subtree breaks this).
#[test]
fn trajectories_extend_in_both_directions() {
    let (_, infos) = run_kernel(&StdNormal(3), &params(0.5, Metric::unit_diag(3)), 2, 20_000, 9);
    let idx: Vec<f64> = infos.iter().map(|i| i.index_in_trajectory as f64).collect();
    let neg = infos.iter().filter(|i| i.index_in_trajectory < 0).count() as f64;
    let pos = infos.iter().filter(|i| i.index_in_trajectory > 0).count() as f64;
    let n = idx.len() as f64;
    let mean = idx.iter().sum::<f64>() / n;
    let sd = (idx.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    // Transitions are close to independent in index: plain standard error, generous bound.
    assert!(mean.abs() < 5.0 * sd / n.sqrt(), "mean index {mean} (sd {sd})");
    assert!((neg - pos).abs() < 5.0 * (neg + pos).sqrt(), "neg {neg} pos {pos}");
    assert!(neg > 0.3 * n && pos > 0.3 * n);
}

/// Max depth is respected and reported.
#[test]
fn max_depth_caps_the_tree() {
    let mut p = params(0.01, Metric::unit_diag(2));
    p.max_depth = 4;
    let (_, infos) = run_kernel(&StdNormal(2), &p, 1, 200, 10);
    assert!(infos.iter().all(|i| i.depth <= 4 && i.n_leapfrog <= 15));
    assert!(infos.iter().all(|i| i.reached_max_depth && i.n_leapfrog == 15));
}

/// The predecessor's bug, reproduced behind the test-only switch: drawing from
/// an invalid subtree. With full warmup on N(0,1) the variance estimate is
/// far off (|z| > 4); the correct sampler passes on the same seeds.
#[test]
fn merging_invalid_subtrees_biases_the_variance() {
    for seed in [101, 102] {
        let mut s = settings(4, 1000, 20_000, seed, MetricKind::Diag);
        let good = zcheck(&mapped(&run(&s, &StdNormal(1)), 0, |x| x * x), 1.0);
        s.unsound_merge_invalid_subtrees = true;
        let bad = zcheck(&mapped(&run(&s, &StdNormal(1)), 0, |x| x * x), 1.0);
        println!("seed {seed}: correct var {:.4} (z {:.2}); merging invalid subtrees var {:.4} (z {:.2})", good.estimate, good.z, bad.estimate, bad.z);
        assert!(good.z.abs() < 4.0, "{good:?}");
        assert!(bad.z.abs() > 4.0, "the bug should be visible: {bad:?}");
    }
    // Same with the bare kernel at a fixed step size.
    let mut p = params(1.0, Metric::unit_diag(1));
    let (good, _) = run_kernel(&StdNormal(1), &p, 4, 20_000, 103);
    p.merge_invalid = true;
    let (bad, _) = run_kernel(&StdNormal(1), &p, 4, 20_000, 103);
    let (g, b) = (zcheck(&coord(&good, 0, |x| x * x), 1.0), zcheck(&coord(&bad, 0, |x| x * x), 1.0));
    println!("kernel eps 1: correct var {:.4} (z {:.2}); buggy var {:.4} (z {:.2})", g.estimate, g.z, b.estimate, b.z);
    assert!(g.z.abs() < 4.0 && b.z.abs() > 4.0);
}

/// The gradient-based initial metric and the grad-diag estimate are wired in.
#[test]
fn grad_diag_initial_metric_from_first_gradient() {
    let mut d = Counted::new(StdNormal(2));
    let mut rng = chain_rng(1, 0);
    let s = initial_state(&mut d, &Init::Given(vec![0.5, -4.0]), 0, &mut rng).unwrap();
    let m = MassMatrixAdapt::initial_metric(MetricKind::GradDiag, &s.grad);
    assert_eq!(m.inv_metric(), exmc_nuts::InvMetric::Diag(vec![2.0, 0.25]));
}
