//! Acceptance 1: `inverse(forward(y)) == y` at random points for every
//! transform and several sizes (f64 and f32); inverses reject constrained
//! values that violate the constraint, and slice-length mismatches are errors.

mod transform_util;

use exmc_math::transform::{
    cholesky_cov, corr_matrix, cov_matrix, interval, lower, offset_multiplier, upper, TransformError, VectorTransform,
};
use transform_util::*;

/// Matrices assembled as `L Lᵀ` are inverted through a Cholesky
/// factorisation, so their round trip loses accuracy with the condition
/// number: they get `matrix_tol` (and, in f32, moderate points only — at
/// `|y| ≈ 4` an f32 correlation matrix is numerically singular).
fn is_product_matrix(case: &Case) -> bool {
    matches!(case, Case::Vector(VectorTransform::CorrMatrix { .. } | VectorTransform::CovMatrix { .. }))
}

fn round_trip_max_error<T: exmc_math::Real>(seed: u64, tol: f64, matrix_tol: f64, matrix_scale: f64) {
    let mut rng = rng(seed);
    for case in all_cases() {
        let mut worst = 0.0f64;
        let (tol, top) = if is_product_matrix(&case) { (matrix_tol, matrix_scale) } else { (tol, 2.0) };
        for trial in 0..30 {
            let scale = [0.3, 1.0, top][trial % 3];
            let y64 = random_y(&mut rng, case.free_len(), scale);
            let p64 = case.random_params(&mut rng);
            let y: Vec<T> = y64.iter().map(|&v| T::c(v)).collect();
            let p: Vec<T> = p64.iter().map(|&v| T::c(v)).collect();
            let (x, lj) = case.forward(&y, &p);
            assert!(lj.is_finite(), "{}: logJ {lj} at {y:?}", case.name());
            let back = case.inverse(&x, &p).unwrap_or_else(|e| panic!("{} at y = {y:?}: {e}", case.name()));
            if case.is_bijection() {
                for (a, b) in y.iter().zip(&back) {
                    worst = worst.max((a.f64() - b.f64()).abs() / (1.0 + a.f64().abs()));
                }
            } else {
                // unit_vector: the inverse picks the point of radius 1 on the ray
                let (x2, _) = case.forward(&back, &p);
                for (a, b) in x.iter().zip(&x2) {
                    worst = worst.max((a.f64() - b.f64()).abs());
                }
            }
        }
        eprintln!("{:>40} {}: worst round-trip error {worst:.2e}", case.name(), T::NAME);
        assert!(worst <= tol, "{} ({}): round-trip error {worst:e} > {tol:e}", case.name(), T::NAME);
    }
}

#[test]
fn round_trip_f64() {
    round_trip_max_error::<f64>(11, 1e-11, 1e-9, 1.0);
}

#[test]
fn round_trip_f32() {
    round_trip_max_error::<f32>(12, 1e-3, 5e-2, 1.0);
}

#[test]
fn infinite_bounds_select_the_unbounded_transforms() {
    let inf = f64::INFINITY;
    let y = 0.7;
    assert_eq!(lower::forward(y, -inf), (y, 0.0));
    assert_eq!(upper::forward(y, inf), (y, 0.0));
    assert_eq!(interval::forward(y, -inf, inf), (y, 0.0));
    assert_eq!(interval::forward(y, 1.0, inf), lower::forward(y, 1.0));
    assert_eq!(interval::forward(y, -inf, 1.0), upper::forward(y, 1.0));
    assert_eq!(interval::backward(y, 1.0, inf, 2.0), (2.0 * y.exp() + 1.0, 2.0, 0.0));
    assert_eq!(interval::backward(y, -inf, 1.0, 2.0), (1.0 - 2.0 * y.exp(), 0.0, 2.0));
    assert_eq!(interval::backward(y, -inf, inf, 2.0), (2.0, 0.0, 0.0));
    assert_eq!(interval::inverse(0.3, -inf, inf), Ok(0.3));
    assert_eq!(interval::inverse(3.0, 1.0, inf), Ok(2f64.ln()));
}

fn is_invalid<T>(r: Result<T, TransformError>) -> bool {
    matches!(r, Err(TransformError::Invalid { .. }))
}

#[test]
fn scalar_inverses_reject_values_outside_the_support() {
    assert!(is_invalid(lower::inverse(1.0, 1.0)));
    assert!(is_invalid(lower::inverse(0.5, 1.0)));
    assert!(is_invalid(lower::inverse(f64::NAN, 1.0)));
    assert!(is_invalid(lower::inverse(f64::INFINITY, 1.0)));
    assert!(is_invalid(upper::inverse(2.0, 1.0)));
    assert!(is_invalid(upper::inverse(f32::NAN, 1.0)));
    assert!(is_invalid(interval::inverse(0.0, 0.0, 1.0)));
    assert!(is_invalid(interval::inverse(1.0, 0.0, 1.0)));
    assert!(is_invalid(interval::inverse(0.5, 1.0, 0.0)));
    assert!(is_invalid(interval::inverse(0.5, f64::NAN, 1.0)));
    assert!(is_invalid(offset_multiplier::inverse(0.5, 0.0, 0.0)));
    assert!(is_invalid(offset_multiplier::inverse(0.5, 0.0, -1.0)));
    assert!(is_invalid(offset_multiplier::inverse(0.5, f64::NAN, 1.0)));
    // and the message names the transform and the value
    let msg = lower::inverse(0.5, 1.0).unwrap_err().to_string();
    assert!(msg.contains("lower") && msg.contains("0.5"), "{msg}");
}

#[test]
fn vector_inverses_reject_values_outside_the_support() {
    let bad: Vec<(VectorTransform, Vec<f64>)> = vec![
        (VectorTransform::Simplex { k: 3 }, vec![0.5, 0.5, 0.1]),
        (VectorTransform::Simplex { k: 3 }, vec![0.6, 0.5, -0.1]),
        (VectorTransform::Simplex { k: 2 }, vec![f64::NAN, 0.5]),
        (VectorTransform::Ordered { k: 3 }, vec![0.0, 1.0, 1.0]),
        (VectorTransform::Ordered { k: 2 }, vec![0.0, f64::INFINITY]),
        (VectorTransform::PositiveOrdered { k: 2 }, vec![0.0, 1.0]),
        (VectorTransform::PositiveOrdered { k: 2 }, vec![2.0, 1.0]),
        (VectorTransform::UnitVector { k: 2 }, vec![1.0, 1.0]),
        (VectorTransform::CholeskyCorr { k: 2 }, vec![1.0, 0.1, 0.6, 0.8]),
        (VectorTransform::CholeskyCorr { k: 2 }, vec![1.0, 0.0, 0.6, 0.7]),
        (VectorTransform::CholeskyCorr { k: 2 }, vec![1.0, 0.0, 1.0, 0.0]),
        (VectorTransform::CholeskyCorr { k: 2 }, vec![-1.0, 0.0, 0.6, 0.8]),
        (VectorTransform::CorrMatrix { k: 2 }, vec![1.0, 0.5, 0.5, 1.1]),
        (VectorTransform::CorrMatrix { k: 2 }, vec![1.0, 0.5, 0.4, 1.0]),
        (VectorTransform::CorrMatrix { k: 2 }, vec![1.0, 1.0, 1.0, 1.0]),
        (VectorTransform::CorrMatrix { k: 3 }, vec![1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0]),
        (VectorTransform::CholeskyCov { m: 3, n: 2 }, vec![1.0, 0.1, 0.5, 1.0, 2.0, 3.0]),
        (VectorTransform::CholeskyCov { m: 2, n: 2 }, vec![1.0, 0.0, 0.5, 0.0]),
        (VectorTransform::CovMatrix { k: 2 }, vec![1.0, 2.0, 2.0, 1.0]),
        (VectorTransform::CovMatrix { k: 2 }, vec![1.0, 0.5, 0.0, 1.0]),
        (VectorTransform::CovMatrix { k: 2 }, vec![1.0, f64::NAN, f64::NAN, 1.0]),
    ];
    for (t, x) in bad {
        let mut y = vec![0.0; t.free_len()];
        let r = t.inverse(&x, &mut y);
        assert!(matches!(r, Err(TransformError::Invalid { .. })), "{t:?} accepted {x:?}: {r:?}");
    }
}

#[test]
fn wrong_lengths_are_shape_errors_not_panics() {
    let shape = |r: Result<(), TransformError>| matches!(r, Err(TransformError::Shape { .. }));
    let shape_t = |r: Result<f64, TransformError>| matches!(r, Err(TransformError::Shape { .. }));
    let y = [0.1; 7];
    let mut x = [0.0; 17];
    let mut s = [0.0; 200];
    let mut ay = [0.0; 7];
    for t in [
        VectorTransform::Simplex { k: 3 },
        VectorTransform::Ordered { k: 3 },
        VectorTransform::PositiveOrdered { k: 3 },
        VectorTransform::UnitVector { k: 3 },
        VectorTransform::CholeskyCorr { k: 3 },
        VectorTransform::CorrMatrix { k: 3 },
        VectorTransform::CholeskyCov { m: 3, n: 2 },
        VectorTransform::CovMatrix { k: 3 },
    ] {
        assert!(shape_t(t.forward(&y, &mut x, &mut s)), "{t:?}");
        assert!(shape(t.backward(&y, &x, &x, &mut ay, &mut s)), "{t:?}");
        assert!(shape(t.inverse(&x, &mut ay)), "{t:?}");
    }
    // degenerate shapes
    assert!(VectorTransform::Simplex { k: 0 }.validate().is_err());
    assert!(VectorTransform::CholeskyCov { m: 1, n: 2 }.validate().is_err());
    assert!(shape_t(cholesky_cov::forward(1, 2, &[0.0; 3], &mut [0.0; 2])));
    // scratch too short
    assert!(shape_t(corr_matrix::forward(3, &[0.0; 3], &mut [0.0; 9], &mut [0.0; 17])));
    assert!(shape_t(cov_matrix::forward(3, &[0.0; 6], &mut [0.0; 9], &mut [0.0; 8])));
}
