//! Multivariate normal: `multi_normal(mu, Sigma)` and
//! `multi_normal_cholesky(mu, L)` (`Σ = L Lᵀ`). Matrices are row-major `&[T]`
//! of length `n²`.
//!
//! # Formula
//! `log p(x) = −½ n log 2π − Σᵢ log Lᵢᵢ − ½ zᵀz`, `z = L⁻¹(x − μ)`.
//! With `w = L⁻ᵀ z = Σ⁻¹(x − μ)`:
//! `∂/∂x = −w`, `∂/∂μ = w`, `∂/∂L = tril(w zᵀ) − diag(1/Lᵢᵢ)`,
//! `∂/∂Σ = ½ (w wᵀ − Σ⁻¹)` (each of the `n²` entries treated as free: for a
//! symmetric `Σ` built from `n(n+1)/2` numbers, add the `(i,j)` and `(j,i)`
//! partials).

use super::DistError;
use exmc_core::Real;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Cholesky factor `L` (row-major, lower) of a symmetric positive-definite `a`
/// into `l`. Errors name `dist` and `arg`.
pub(crate) fn cholesky<T: Real>(
    dist: &'static str,
    arg: &'static str,
    a: &[T],
    n: usize,
    l: &mut [T],
) -> Result<(), DistError> {
    for i in 0..n {
        for j in 0..n {
            let (x, y) = (a[i * n + j], a[j * n + i]);
            if !x.is_finite() {
                return Err(DistError {
                    dist,
                    arg,
                    must_be: "finite",
                    value: x.f64(),
                });
            }
            if (x - y).abs() > T::c(1e-8) * T::one().max(x.abs().max(y.abs())) {
                return Err(DistError {
                    dist,
                    arg,
                    must_be: "symmetric",
                    value: (x - y).f64(),
                });
            }
        }
    }
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if !(s > T::zero()) {
                    return Err(DistError {
                        dist,
                        arg,
                        must_be: "positive definite",
                        value: s.f64(),
                    });
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
        for j in i + 1..n {
            l[i * n + j] = T::zero();
        }
    }
    Ok(())
}

/// Solves `L y = b` in place (`b` strided by `stride` starting at `off`).
fn forward<T: Real>(l: &[T], n: usize, b: &mut [T], off: usize, stride: usize) {
    for i in 0..n {
        let mut s = b[off + i * stride];
        for k in 0..i {
            s -= l[i * n + k] * b[off + k * stride];
        }
        b[off + i * stride] = s / l[i * n + i];
    }
}

/// Solves `Lᵀ y = b` in place.
fn backward<T: Real>(l: &[T], n: usize, b: &mut [T], off: usize, stride: usize) {
    for i in (0..n).rev() {
        let mut s = b[off + i * stride];
        for k in i + 1..n {
            s -= l[k * n + i] * b[off + k * stride];
        }
        b[off + i * stride] = s / l[i * n + i];
    }
}

/// Shared core: writes `z` into `dx`, `w` into `dmu`; returns the log density.
fn core<T: Real>(x: &[T], mu: &[T], l: &[T], dx: &mut [T], dmu: &mut [T]) -> T {
    let n = x.len();
    for i in 0..n {
        dx[i] = x[i] - mu[i];
    }
    forward(l, n, dx, 0, 1);
    let mut lp = T::c(-HALF_LN_2PI * n as f64);
    for i in 0..n {
        lp -= l[i * n + i].ln() + T::c(0.5) * dx[i] * dx[i];
        dmu[i] = dx[i];
    }
    backward(l, n, dmu, 0, 1);
    lp
}

fn check_dims<T: Real>(dist: &'static str, x: &[T], mu: &[T], m: &[T]) -> Result<usize, DistError> {
    let n = x.len();
    if mu.len() != n {
        return Err(DistError {
            dist,
            arg: "mu",
            must_be: "the same length as y",
            value: mu.len() as f64,
        });
    }
    if m.len() != n * n {
        return Err(DistError {
            dist,
            arg: "matrix",
            must_be: "n × n",
            value: m.len() as f64,
        });
    }
    for &v in x.iter() {
        if v.is_nan() {
            return Err(DistError {
                dist,
                arg: "y",
                must_be: "not NaN",
                value: f64::NAN,
            });
        }
    }
    for &v in mu.iter() {
        super::check_finite(dist, "mu", v)?;
    }
    Ok(n)
}

/// `multi_normal_cholesky(x | μ, L)`; partials into `dx`, `dmu` (length n)
/// and `dl` (n², lower triangle, zeros above). No allocation.
pub fn multi_normal_cholesky_lpdf<T: Real>(
    x: &[T],
    mu: &[T],
    l: &[T],
    dx: &mut [T],
    dmu: &mut [T],
    dl: &mut [T],
) -> Result<T, DistError> {
    const NAME: &str = "multi_normal_cholesky";
    let n = check_dims(NAME, x, mu, l)?;
    for i in 0..n {
        for j in 0..=i {
            super::check_finite(NAME, "L", l[i * n + j])?;
        }
        check_positive_diag(NAME, l[i * n + i])?;
    }
    let lp = core(x, mu, l, dx, dmu);
    for i in 0..n {
        for j in 0..n {
            dl[i * n + j] = if j <= i { dmu[i] * dx[j] } else { T::zero() };
        }
        dl[i * n + i] -= l[i * n + i].recip();
    }
    for i in 0..n {
        dx[i] = -dmu[i];
    }
    Ok(lp)
}

fn check_positive_diag<T: Real>(dist: &'static str, v: T) -> Result<(), DistError> {
    if v > T::zero() && v.is_finite() {
        Ok(())
    } else {
        Err(DistError {
            dist,
            arg: "L",
            must_be: "a Cholesky factor with positive diagonal",
            value: v.f64(),
        })
    }
}

/// `multi_normal(x | μ, Σ)`; partials into `dx`, `dmu` (n) and `dsigma` (n²,
/// see the module doc). `scratch` must hold `n²` values (receives `L`).
/// `Σ` not symmetric positive definite → [`DistError`].
pub fn multi_normal_lpdf<T: Real>(
    x: &[T],
    mu: &[T],
    sigma: &[T],
    dx: &mut [T],
    dmu: &mut [T],
    dsigma: &mut [T],
    scratch: &mut [T],
) -> Result<T, DistError> {
    const NAME: &str = "multi_normal";
    let n = check_dims(NAME, x, mu, sigma)?;
    let l = &mut scratch[..n * n];
    cholesky(NAME, "Sigma", sigma, n, l)?;
    let lp = core(x, mu, l, dx, dmu);
    // Σ⁻¹ column by column into dsigma
    for j in 0..n {
        for i in 0..n {
            dsigma[i * n + j] = if i == j { T::one() } else { T::zero() };
        }
        forward(l, n, dsigma, j, n);
        backward(l, n, dsigma, j, n);
    }
    let half = T::c(0.5);
    for i in 0..n {
        for j in 0..n {
            dsigma[i * n + j] = half * (dmu[i] * dmu[j] - dsigma[i * n + j]);
        }
    }
    for i in 0..n {
        dx[i] = -dmu[i];
    }
    Ok(lp)
}
