//! LKJ distribution over correlation matrices: `lkj_corr(Omega, eta)` and
//! `lkj_corr_cholesky(L, eta)` (Lewandowski, Kurowicka & Joe 2009).
//!
//! # Formula
//! `log p(Ω) = (η − 1) log det Ω − log c_K(η)`, with the normaliser
//! (LKJ 2009, Theorem 5 / eq. 16)
//! `log c_K(η) = Σ_{k=1}^{K−1} [(2η − 2 + K − k)(K − k) log 2 + (K − k) log B(bₖ, bₖ)]`,
//! `bₖ = η + (K − k − 1)/2` (for `K = 3, η = 1` this is `log(π²/2)`, the volume
//! of the 3×3 correlation matrices).
//! Cholesky form: `Ω = L Lᵀ`, Jacobian `Πᵢ Lᵢᵢ^{K−i}` (1-based `i`), so
//! `log p(L) = Σ_{i=2}^{K} (K − i + 2η − 2) log Lᵢᵢ − log c_K(η)`.
//! Partials: `∂/∂Ω = (η − 1) Ω⁻¹` (entries treated as free, as in
//! [`multi_normal`](super::multi_normal)); `∂/∂Lᵢᵢ = (K − i + 2η − 2)/Lᵢᵢ`;
//! `∂/∂η = log det Ω − ∂ log c_K/∂η`,
//! `∂ log c_K/∂η = Σₖ (K − k) [2 log 2 + 2ψ(bₖ) − 2ψ(2bₖ)]`.

use super::multi_normal::cholesky;
use super::{check_positive, DistError};
use crate::special::{digamma_f64, lbeta_f64};
use exmc_core::Real;

/// `(log c_K(η), ∂/∂η)` (f64).
pub fn lkj_log_normaliser(eta: f64, k: usize) -> (f64, f64) {
    let ln2 = std::f64::consts::LN_2;
    let (mut c, mut dc) = (0.0, 0.0);
    for i in 1..k {
        let km = (k - i) as f64;
        let b = eta + 0.5 * (km - 1.0);
        c += (2.0 * eta - 2.0 + km) * km * ln2 + km * lbeta_f64(b, b);
        dc += km * (2.0 * ln2 + 2.0 * digamma_f64(b) - 2.0 * digamma_f64(2.0 * b));
    }
    (c, dc)
}

/// `lkj_corr(Ω | η)`; `omega` row-major `K×K`. Partials into `domega` (K²)
/// and `deta`; `scratch` holds `K²` values. `Ω` must be symmetric, unit
/// diagonal (within 1e-8) and positive definite.
pub fn lkj_corr_lpdf<T: Real>(
    omega: &[T],
    k: usize,
    eta: T,
    domega: &mut [T],
    deta: &mut T,
    scratch: &mut [T],
) -> Result<T, DistError> {
    const NAME: &str = "lkj_corr";
    check_positive(NAME, "eta", eta)?;
    if omega.len() != k * k {
        return Err(DistError {
            dist: NAME,
            arg: "Omega",
            must_be: "K × K",
            value: omega.len() as f64,
        });
    }
    let tol = if T::EPS.f64() > 1e-10 { 1e-5 } else { 1e-8 };
    for i in 0..k {
        let d = omega[i * k + i];
        if (d.f64() - 1.0).abs() > tol {
            return Err(DistError {
                dist: NAME,
                arg: "Omega",
                must_be: "a correlation matrix (unit diagonal)",
                value: d.f64(),
            });
        }
    }
    let l = &mut scratch[..k * k];
    cholesky(NAME, "Omega", omega, k, l)?;
    let mut logdet = T::zero();
    for i in 0..k {
        logdet += T::c(2.0) * l[i * k + i].ln();
    }
    // Ω⁻¹ into domega, column by column (L y = e_j, Lᵀ v = y)
    for j in 0..k {
        for i in 0..k {
            domega[i * k + j] = if i == j { T::one() } else { T::zero() };
        }
        for i in 0..k {
            let mut s = domega[i * k + j];
            for m in 0..i {
                s -= l[i * k + m] * domega[m * k + j];
            }
            domega[i * k + j] = s / l[i * k + i];
        }
        for i in (0..k).rev() {
            let mut s = domega[i * k + j];
            for m in i + 1..k {
                s -= l[m * k + i] * domega[m * k + j];
            }
            domega[i * k + j] = s / l[i * k + i];
        }
    }
    let em1 = eta - T::one();
    for v in domega.iter_mut().take(k * k) {
        *v *= em1;
    }
    let (c, dc) = lkj_log_normaliser(eta.f64(), k);
    *deta = logdet - T::c(dc);
    Ok(em1 * logdet - T::c(c))
}

/// `lkj_corr_cholesky(L | η)`; `l` row-major `K×K` lower triangular with a
/// positive diagonal. Partials into `dl` (K², nonzero on the diagonal only)
/// and `deta`.
pub fn lkj_corr_cholesky_lpdf<T: Real>(
    l: &[T],
    k: usize,
    eta: T,
    dl: &mut [T],
    deta: &mut T,
) -> Result<T, DistError> {
    const NAME: &str = "lkj_corr_cholesky";
    check_positive(NAME, "eta", eta)?;
    if l.len() != k * k {
        return Err(DistError {
            dist: NAME,
            arg: "L",
            must_be: "K × K",
            value: l.len() as f64,
        });
    }
    dl.iter_mut().take(k * k).for_each(|v| *v = T::zero());
    let two_eta = T::c(2.0) * eta;
    let (mut lp, mut sum_log) = (T::zero(), T::zero());
    for i in 0..k {
        let d = l[i * k + i];
        if !(d > T::zero() && d.is_finite()) {
            return Err(DistError {
                dist: NAME,
                arg: "L",
                must_be: "a Cholesky factor with positive diagonal",
                value: d.f64(),
            });
        }
        if i == 0 {
            continue;
        }
        // 0-based row i is 1-based i + 1: exponent K − (i + 1) + 2η − 2
        let e = T::c((k - i) as f64 - 3.0) + two_eta;
        let ld = d.ln();
        lp += e * ld;
        sum_log += ld;
        dl[i * k + i] = e / d;
    }
    let (c, dc) = lkj_log_normaliser(eta.f64(), k);
    *deta = T::c(2.0) * sum_log - T::c(dc);
    Ok(lp - T::c(c))
}
