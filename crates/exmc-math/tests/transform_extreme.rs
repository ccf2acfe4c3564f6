//! Acceptance 4: extreme inputs (±1e4, ±1e300, NaN, ±inf), in f32 and f64.
//! Policy (transform/mod.rs): no clamping, no panics; a NaN or infinite
//! input gives a non-finite `x` or `logJ` (never a finite-but-wrong value);
//! when the output is all finite it satisfies the constraint.

mod transform_util;

use exmc_math::transform::{interval, lower, offset_multiplier, upper, VectorTransform as V};
use exmc_math::Real;
use transform_util::*;

const EXTREMES: [f64; 7] = [1e4, -1e4, 1e300, -1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

/// Whether the constrained `x` (all finite) satisfies the constraint of `case`.
fn satisfies(case: &Case, x: &[f64], p: &[f64], tol: f64) -> bool {
    let lower_tri = |rows: usize, cols: usize| (0..rows).all(|i| (i + 1..cols).all(|j| x[i * cols + j] == 0.0));
    let sym = |k: usize| (0..k).all(|i| (0..i).all(|j| x[i * k + j] == x[j * k + i]));
    let row_norms = |k: usize| (0..k).all(|i| ((0..k).map(|j| x[i * k + j].powi(2)).sum::<f64>() - 1.0).abs() <= tol);
    let increasing = || x.windows(2).all(|w| w[0] <= w[1]);
    match *case {
        Case::Scalar { kind: Scalar::Lower, .. } => x.iter().all(|&v| v >= p[0]),
        Case::Scalar { kind: Scalar::Upper, .. } => x.iter().all(|&v| v <= p[0]),
        Case::Scalar { kind: Scalar::Interval, .. } => x.iter().all(|&v| v >= p[0] && v <= p[1]),
        Case::Scalar { kind: Scalar::OffsetMultiplier, .. } => true,
        Case::Vector(v) => match v {
            V::Simplex { .. } => x.iter().all(|&v| v >= 0.0) && (x.iter().sum::<f64>() - 1.0).abs() <= tol,
            V::SumToZero { .. } => x.iter().sum::<f64>().abs() <= tol * x.iter().fold(1.0, |m: f64, v| m.max(v.abs())),
            V::Ordered { .. } => increasing(),
            V::PositiveOrdered { .. } => increasing() && x[0] >= 0.0,
            V::UnitVector { .. } => (x.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() <= tol,
            V::CholeskyCorr { k } => lower_tri(k, k) && (0..k).all(|i| x[i * k + i] >= 0.0) && row_norms(k),
            V::CorrMatrix { k } => {
                sym(k) && (0..k).all(|i| x[i * k + i] == 1.0) && x.iter().all(|v| v.abs() <= 1.0 + tol)
            }
            V::CholeskyCov { m, n } => lower_tri(m, n) && (0..n).all(|i| x[i * n + i] >= 0.0),
            V::CovMatrix { k } => sym(k) && (0..k).all(|i| x[i * k + i] >= 0.0),
        },
    }
}

/// Runs forward and backward at `y`; checks the policy. Returns whether the output was finite.
fn probe<T: Real>(case: &Case, y: &[T], p: &[T]) -> bool {
    let (x, lj) = case.forward(y, p);
    let w: Vec<T> = (0..case.x_len()).map(|i| T::c(0.5 - (i % 3) as f64)).collect();
    let _ = case.backward(y, p, &w); // must not panic
    let finite = lj.is_finite() && x.iter().all(|v| v.is_finite());
    let bad_input = y.iter().chain(p).any(|v| !v.is_finite());
    if bad_input {
        assert!(
            !finite,
            "{} ({}): non-finite input {y:?} / {p:?} gave finite x = {x:?}, logJ = {lj}",
            case.name(),
            T::NAME
        );
    }
    if finite {
        let x64: Vec<f64> = x.iter().map(|v| v.f64()).collect();
        let p64: Vec<f64> = p.iter().map(|v| v.f64()).collect();
        let tol = 1e3 * T::EPS.f64() * case.x_len() as f64;
        assert!(
            satisfies(case, &x64, &p64, tol),
            "{} ({}): y = {y:?} gave x = {x:?} outside the constraint",
            case.name(),
            T::NAME
        );
    }
    finite
}

fn extremes<T: Real>(seed: u64) {
    let mut rng = rng(seed);
    let mut counts = (0, 0);
    for case in all_cases() {
        let n = case.free_len();
        let p: Vec<T> = case.random_params(&mut rng).iter().map(|&v| T::c(v)).collect();
        for &e in &EXTREMES {
            let e = T::c(e);
            // every coordinate extreme
            let finite = probe(&case, &vec![e; n], &p);
            counts = if finite { (counts.0 + 1, counts.1) } else { (counts.0, counts.1 + 1) };
            // one extreme coordinate among moderate ones, at each position
            for i in 0..n {
                let mut y: Vec<T> = random_y(&mut rng, n, 1.0).iter().map(|&v| T::c(v)).collect();
                y[i] = e;
                probe(&case, &y, &p);
                // and alternating signs
                let y: Vec<T> = (0..n).map(|j| if j % 2 == 0 { e } else { -e }).collect();
                probe(&case, &y, &p);
            }
        }
        // extreme parameters (bounds, offset, multiplier) with a moderate y
        for j in 0..p.len() {
            for &e in &EXTREMES {
                let mut pe = p.clone();
                pe[j] = T::c(e);
                let y: Vec<T> = random_y(&mut rng, n, 1.0).iter().map(|&v| T::c(v)).collect();
                let (x, lj) = case.forward(&y, &pe);
                let _ = case.backward(&y, &pe, &vec![T::one(); case.x_len()]);
                if e.is_nan() {
                    assert!(
                        !lj.is_finite() || x.iter().any(|v| !v.is_finite()),
                        "{}: NaN parameter gave finite output",
                        case.name()
                    );
                }
            }
        }
    }
    eprintln!("{}: all-extreme inputs: {} finite outputs, {} flagged non-finite", T::NAME, counts.0, counts.1);
}

#[test]
fn extreme_inputs_f64() {
    extremes::<f64>(41);
}

#[test]
fn extreme_inputs_f32() {
    extremes::<f32>(42);
}

#[test]
fn interval_reaches_the_bound_with_a_finite_log_jacobian() {
    fn at<T: Real>() {
        let (lb, ub) = (T::c(-1.5), T::c(2.5));
        let (x, lj) = interval::forward(T::c(40.0), lb, ub);
        assert!((x - ub).abs() <= T::EPS * ub.abs(), "{x}");
        assert!((lj.f64() - (4f64.ln() - 40.0)).abs() < 1e-4, "{lj}");
        let (x, lj) = interval::forward(T::c(-40.0), lb, ub);
        assert!((x - lb).abs() <= T::EPS * lb.abs(), "{x}");
        assert!((lj.f64() - (4f64.ln() - 40.0)).abs() < 1e-4, "{lj}");
        // far beyond: x stays at (never beyond) the bound, logJ is the exact -|y| + log(ub - lb)
        let (x, lj) = interval::forward(T::c(1e4), lb, ub);
        assert!(x == ub && (lj.f64() + 1e4 - 4f64.ln()).abs() < 1e-2);
        let (x, _) = interval::forward(T::c(-1e4), lb, ub);
        assert_eq!(x, lb);
        // the gradient stays finite there too
        let (ay, alb, aub) = interval::backward(T::c(40.0), lb, ub, T::one());
        assert!(ay.is_finite() && alb.is_finite() && aub.is_finite());
    }
    at::<f64>();
    at::<f32>();
}

#[test]
fn scalar_kernels_flag_nan_inputs() {
    let nan = f64::NAN;
    let (x, lj) = lower::forward(nan, 0.0);
    assert!(x.is_nan() && lj.is_nan());
    let (x, lj) = upper::forward(nan, 0.0);
    assert!(x.is_nan() && lj.is_nan());
    let (x, lj) = interval::forward(nan, 0.0, 1.0);
    assert!(x.is_nan() && lj.is_nan());
    let (x, _) = offset_multiplier::forward(nan, 0.0, 1.0);
    assert!(x.is_nan());
    // a multiplier ≤ 0 is flagged through logJ
    assert!(!offset_multiplier::forward(0.3f64, 0.0, 0.0).1.is_finite());
    assert!(offset_multiplier::forward(0.3f64, 0.0, -1.0).1.is_nan());
    // an empty interval (ub < lb) is flagged through logJ
    assert!(interval::forward(0.3f64, 1.0, 0.0).1.is_nan());
}
