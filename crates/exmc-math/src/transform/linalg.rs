//! Small dense helpers for the matrix transforms' inverses (which may allocate).

use super::{invalid, TransformError};
use exmc_core::Real;

/// In-place Cholesky factorisation of a symmetric positive definite `k × k`
/// row-major matrix: on success `a` holds `L` (zeros above the diagonal).
/// Errors if `a` has a non-finite entry, is not symmetric within
/// `tol·max(1, |a_ij|)`, or is not positive definite.
pub(crate) fn cholesky_in_place<T: Real>(
    name: &'static str,
    k: usize,
    a: &mut [T],
    tol: T,
) -> Result<(), TransformError> {
    for i in 0..k {
        for j in 0..k {
            let v = a[i * k + j];
            if !v.is_finite() {
                return Err(invalid(name, "finite", Some(i * k + j), v));
            }
            if j < i && !((v - a[j * k + i]).abs() <= tol * v.abs().max(T::one())) {
                return Err(invalid(name, "symmetric", Some(i * k + j), v));
            }
        }
    }
    for j in 0..k {
        let mut d = a[j * k + j];
        for m in 0..j {
            d -= a[j * k + m] * a[j * k + m];
        }
        if !(d > T::zero()) {
            return Err(invalid(name, "positive definite (a pivot is the value)", Some(j * k + j), d));
        }
        let d = d.sqrt();
        a[j * k + j] = d;
        for i in j + 1..k {
            let mut v = a[i * k + j];
            for m in 0..j {
                v -= a[i * k + m] * a[j * k + m];
            }
            a[i * k + j] = v / d;
        }
        for v in &mut a[j * k + j + 1..(j + 1) * k] {
            *v = T::zero();
        }
    }
    Ok(())
}
