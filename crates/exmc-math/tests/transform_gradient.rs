//! Acceptance 3: the backward equals central finite differences of
//! `f = Σ w·x + logJ` (random weights `w`) with respect to `y` and to the
//! bounds / offset / multiplier when those are parameters, in f64.

mod transform_util;

use transform_util::*;

const H: f64 = 1e-6;

fn objective(case: &Case, y: &[f64], p: &[f64], w: &[f64]) -> f64 {
    let (x, lj) = case.forward(y, p);
    x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() + lj
}

fn check(case: &Case, y: &[f64], p: &[f64], w: &[f64]) -> f64 {
    let (ay, ap) = case.backward(y, p, w);
    let mut worst = 0.0f64;
    let mut compare = |what: &str, i: usize, analytic: f64, fd: f64| {
        let err = (analytic - fd).abs() / (1.0 + fd.abs());
        worst = worst.max(err);
        assert!(
            err <= 1e-6,
            "{}: d/d{what}[{i}] backward {analytic} vs finite differences {fd} at y = {y:?}, p = {p:?}",
            case.name()
        );
    };
    for i in 0..y.len() {
        let (mut yp, mut ym) = (y.to_vec(), y.to_vec());
        yp[i] += H;
        ym[i] -= H;
        let fd = (objective(case, &yp, p, w) - objective(case, &ym, p, w)) / (2.0 * H);
        compare("y", i, ay[i], fd);
    }
    for i in 0..p.len() {
        let (mut pp, mut pm) = (p.to_vec(), p.to_vec());
        pp[i] += H;
        pm[i] -= H;
        let fd = (objective(case, y, &pp, w) - objective(case, y, &pm, w)) / (2.0 * H);
        compare("param", i, ap[i], fd);
    }
    worst
}

#[test]
fn backward_matches_finite_differences() {
    let mut rng = rng(31);
    for case in all_cases() {
        assert_eq!(
            case.backward(&vec![0.1; case.free_len()], &case.random_params(&mut rng), &vec![0.0; case.x_len()]).1.len(),
            case.n_params()
        );
        let mut worst = 0.0f64;
        for trial in 0..10 {
            let scale = [0.5, 1.0, 1.5][trial % 3];
            let y = random_y(&mut rng, case.free_len(), scale);
            let p = case.random_params(&mut rng);
            let w = random_y(&mut rng, case.x_len(), 1.0);
            worst = worst.max(check(&case, &y, &p, &w));
        }
        eprintln!("{:>40}: worst relative gradient error {worst:.1e}", case.name());
    }
}

/// Interval far in the tails: the analytic gradient keeps its accuracy where
/// `1 - 2·inv_logit(y)` and `s(1-s)` would cancel if computed naively.
#[test]
fn interval_backward_in_the_tails() {
    use exmc_math::transform::interval;
    for y in [-30.0f64, -12.0, 12.0, 30.0] {
        let (ay, alb, aub) = interval::backward(y, -1.0, 2.0, 0.0);
        let s = 1.0 / (1.0 + (-y).exp());
        assert!((ay - (-(y / 2.0).tanh())).abs() < 1e-15);
        assert!((alb + 1.0 / 3.0).abs() < 1e-15 && (aub - 1.0 / 3.0).abs() < 1e-15);
        let (ay, _, _) = interval::backward(y, -1.0, 2.0, 1.0);
        let expected = 3.0 * s * (1.0 - s) - (y / 2.0).tanh();
        assert!((ay - expected).abs() <= 1e-12 * expected.abs().max(1e-300), "{y}: {ay} vs {expected}");
    }
}
