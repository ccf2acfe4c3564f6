//! Random draws from the multivariate families (Stan's `dirichlet_rng`,
//! `multi_normal_rng`, `multi_normal_cholesky_rng`, `lkj_corr_rng`,
//! `lkj_corr_cholesky_rng`, `categorical_rng`, `categorical_logit_rng`).
//! Matrices are row-major. Invalid arguments are errors (Stan rejects the
//! draw), never NaN.
//!
//! # Methods
//! * Dirichlet: `xᵢ = gᵢ / Σ gⱼ`, `gᵢ ~ Gamma(αᵢ, 1)`, computed in log space
//!   (`log gᵢ = log Gamma(αᵢ + 1) + log(U)/αᵢ`, Marsaglia & Tsang 2000), so
//!   that small `α` do not underflow to an all-zero draw.
//! * Multivariate normal: `μ + L z`, `z ~ N(0, I)`, `Σ = L Lᵀ`.
//! * LKJ (Lewandowski, Kurowicka & Joe 2009, the C-vine): canonical partial
//!   correlations at level `j` (0-based) are `2 Beta(β, β) − 1` with
//!   `β = η + (K − 2 − j)/2`, mapped to the Cholesky factor row by row:
//!   `L[i][j] = cpc · sqrt(1 − Σ_{m<j} L[i][m]²)`, `L[i][i] = sqrt(1 − Σ_{m<i} L[i][m]²)`.
//! * Categorical: inverse CDF on a uniform; the logit form through a softmax.

use super::multi_normal::cholesky;
use super::{check_simplex, DistError};
use rand::Rng;
use rand_distr::{Beta, Distribution, Gamma, StandardNormal};

fn bad(dist: &'static str, arg: &'static str, must_be: &'static str, value: f64) -> DistError {
    DistError { dist, arg, must_be, value }
}

/// A draw from `dirichlet(alpha)`; every `αᵢ` finite and positive.
pub fn dirichlet<R: Rng + ?Sized>(rng: &mut R, alpha: &[f64]) -> Result<Vec<f64>, DistError> {
    const NAME: &str = "dirichlet";
    if alpha.is_empty() {
        return Err(bad(NAME, "alpha", "non-empty", 0.0));
    }
    let mut logs = Vec::with_capacity(alpha.len());
    for &a in alpha {
        if !(a > 0.0 && a.is_finite()) {
            return Err(bad(NAME, "alpha", "positive and finite", a));
        }
        let g: f64 = Gamma::new(a + 1.0, 1.0).map_err(|_| bad(NAME, "alpha", "positive and finite", a))?.sample(rng);
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        logs.push(g.ln() + u.ln() / a);
    }
    let m = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut x: Vec<f64> = logs.iter().map(|&l| (l - m).exp()).collect();
    let s: f64 = x.iter().sum();
    x.iter_mut().for_each(|v| *v /= s);
    Ok(x)
}

/// `mu + L z` with `z ~ N(0, I)`; `l` is a `k × k` lower-triangular factor
/// (its upper triangle is ignored), `mu` finite.
pub fn multi_normal_cholesky<R: Rng + ?Sized>(rng: &mut R, mu: &[f64], l: &[f64]) -> Result<Vec<f64>, DistError> {
    const NAME: &str = "multi_normal_cholesky";
    let k = mu.len();
    if l.len() != k * k {
        return Err(bad(NAME, "L", "a square matrix of the size of mu", l.len() as f64));
    }
    if let Some(&m) = mu.iter().find(|m| !m.is_finite()) {
        return Err(bad(NAME, "mu", "finite", m));
    }
    if let Some(&v) = l.iter().find(|v| !v.is_finite()) {
        return Err(bad(NAME, "L", "finite", v));
    }
    let z: Vec<f64> = (0..k).map(|_| StandardNormal.sample(rng)).collect();
    Ok((0..k).map(|i| mu[i] + (0..=i).map(|j| l[i * k + j] * z[j]).sum::<f64>()).collect())
}

/// A draw from `multi_normal(mu, sigma)`: `sigma` symmetric positive definite.
pub fn multi_normal<R: Rng + ?Sized>(rng: &mut R, mu: &[f64], sigma: &[f64]) -> Result<Vec<f64>, DistError> {
    let k = mu.len();
    if sigma.len() != k * k {
        return Err(bad("multi_normal", "Sigma", "a square matrix of the size of mu", sigma.len() as f64));
    }
    let mut l = vec![0.0; k * k];
    cholesky("multi_normal", "Sigma", sigma, k, &mut l)?;
    multi_normal_cholesky(rng, mu, &l)
}

/// The Cholesky factor of a `k × k` correlation matrix from `lkj_corr(eta)`.
pub fn lkj_corr_cholesky<R: Rng + ?Sized>(rng: &mut R, k: i64, eta: f64) -> Result<Vec<f64>, DistError> {
    const NAME: &str = "lkj_corr_cholesky";
    if k < 1 {
        return Err(bad(NAME, "K", "at least 1", k as f64));
    }
    if !(eta > 0.0 && eta.is_finite()) {
        return Err(bad(NAME, "eta", "positive and finite", eta));
    }
    let k = k as usize;
    let mut l = vec![0.0; k * k];
    l[0] = 1.0;
    // One Beta per level j, shared by the rows below it.
    let betas: Vec<Beta<f64>> = (0..k.saturating_sub(1))
        .map(|j| {
            let b = eta + (k as f64 - 2.0 - j as f64) / 2.0;
            Beta::new(b, b).map_err(|_| bad(NAME, "eta", "positive and finite", eta))
        })
        .collect::<Result<_, _>>()?;
    for i in 1..k {
        let mut sum_sq = 0.0_f64;
        for j in 0..i {
            let cpc = 2.0 * betas[j].sample(rng) - 1.0;
            let v = cpc * (1.0 - sum_sq).max(0.0).sqrt();
            l[i * k + j] = v;
            sum_sq += v * v;
        }
        l[i * k + i] = (1.0 - sum_sq).max(0.0).sqrt();
    }
    Ok(l)
}

/// A `k × k` correlation matrix from `lkj_corr(eta)`: `L Lᵀ` of
/// [`lkj_corr_cholesky`], with an exact unit diagonal.
pub fn lkj_corr<R: Rng + ?Sized>(rng: &mut R, k: i64, eta: f64) -> Result<Vec<f64>, DistError> {
    let l = lkj_corr_cholesky(rng, k, eta)?;
    let k = k as usize;
    let mut c = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let v = if i == j { 1.0 } else { (0..=j).map(|m| l[i * k + m] * l[j * k + m]).sum() };
            c[i * k + j] = v;
            c[j * k + i] = v;
        }
    }
    Ok(c)
}

/// A category in `1..=K` (Stan's 1-based) with probabilities `theta` (a simplex).
pub fn categorical<R: Rng + ?Sized>(rng: &mut R, theta: &[f64]) -> Result<i64, DistError> {
    check_simplex("categorical", "theta", theta)?;
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (k, &t) in theta.iter().enumerate() {
        acc += t;
        if u < acc {
            return Ok(k as i64 + 1);
        }
    }
    // Rounding left u ≥ the computed total: the last category with mass.
    Ok(theta.iter().rposition(|&t| t > 0.0).unwrap_or(theta.len() - 1) as i64 + 1)
}

/// A category in `1..=K` with probabilities `softmax(beta)`; `beta` finite.
pub fn categorical_logit<R: Rng + ?Sized>(rng: &mut R, beta: &[f64]) -> Result<i64, DistError> {
    const NAME: &str = "categorical_logit";
    if beta.is_empty() {
        return Err(bad(NAME, "beta", "non-empty", 0.0));
    }
    if let Some(&b) = beta.iter().find(|b| !b.is_finite()) {
        return Err(bad(NAME, "beta", "finite", b));
    }
    let m = beta.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = beta.iter().map(|&b| (b - m).exp()).collect();
    let s: f64 = w.iter().sum();
    categorical(rng, &w.iter().map(|v| v / s).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const N: usize = 20_000;

    /// |mean − expected| within 4.5 standard errors of the mean of
    /// independent draws (the draws here are exact and independent).
    fn assert_mean(xs: &[f64], expected: f64, what: &str) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        let z = (m - expected) / (var / n).sqrt().max(1e-300);
        assert!(z.abs() < 4.5, "{what}: mean {m}, expected {expected}, z {z}");
    }

    #[test]
    fn dirichlet_moments_and_simplex() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let alpha = [0.3, 2.0, 5.0];
        let a0: f64 = alpha.iter().sum();
        let draws: Vec<Vec<f64>> = (0..N).map(|_| dirichlet(&mut rng, &alpha).unwrap()).collect();
        for d in &draws {
            assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-12 && d.iter().all(|&v| v >= 0.0));
        }
        for i in 0..3 {
            let xs: Vec<f64> = draws.iter().map(|d| d[i]).collect();
            assert_mean(&xs, alpha[i] / a0, "dirichlet mean");
            // E[x²] = α(α+1) / (α₀(α₀+1))
            let sq: Vec<f64> = xs.iter().map(|x| x * x).collect();
            assert_mean(&sq, alpha[i] * (alpha[i] + 1.0) / (a0 * (a0 + 1.0)), "dirichlet second moment");
        }
        // Tiny α: still a simplex, not NaN.
        let d = dirichlet(&mut rng, &[1e-3, 1e-3]).unwrap();
        assert!((d[0] + d[1] - 1.0).abs() < 1e-12, "{d:?}");
        assert!(dirichlet(&mut rng, &[1.0, 0.0]).unwrap_err().to_string().contains("alpha must be positive"));
    }

    #[test]
    fn multi_normal_covariance() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mu = [1.0, -2.0];
        let sigma = [4.0, 1.2, 1.2, 1.0];
        let draws: Vec<Vec<f64>> = (0..N).map(|_| multi_normal(&mut rng, &mu, &sigma).unwrap()).collect();
        assert_mean(&draws.iter().map(|d| d[0]).collect::<Vec<_>>(), 1.0, "mu0");
        assert_mean(&draws.iter().map(|d| d[1]).collect::<Vec<_>>(), -2.0, "mu1");
        for (i, j) in [(0, 0), (0, 1), (1, 1)] {
            let prods: Vec<f64> = draws.iter().map(|d| (d[i] - mu[i]) * (d[j] - mu[j])).collect();
            assert_mean(&prods, sigma[i * 2 + j], "covariance");
        }
        let e = multi_normal(&mut rng, &mu, &[1.0, 2.0, 2.0, 1.0]).unwrap_err();
        assert!(e.to_string().contains("positive definite"), "{e}");
        assert!(multi_normal(&mut rng, &mu, &[1.0, 0.5, 0.0, 1.0]).unwrap_err().to_string().contains("symmetric"));
        assert!(multi_normal_cholesky(&mut rng, &[f64::NAN, 0.0], &[1.0, 0.0, 0.0, 1.0]).is_err());
    }

    /// Every off-diagonal correlation of LKJ(η) in dimension K is
    /// `2 Beta(η + (K−2)/2, same) − 1`: mean 0, variance `1/(2η + K − 1)`.
    #[test]
    fn lkj_marginal_variance_and_unit_diagonal() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (k, eta) = (4usize, 1.5);
        let draws: Vec<Vec<f64>> = (0..N).map(|_| lkj_corr(&mut rng, k as i64, eta).unwrap()).collect();
        for c in draws.iter().take(50) {
            for i in 0..k {
                assert_eq!(c[i * k + i], 1.0);
                for j in 0..k {
                    assert_eq!(c[i * k + j], c[j * k + i]);
                }
            }
        }
        let var = 1.0 / (2.0 * eta + k as f64 - 1.0);
        for (i, j) in [(1, 0), (2, 0), (3, 1), (3, 2)] {
            let r: Vec<f64> = draws.iter().map(|c| c[i * k + j]).collect();
            assert_mean(&r, 0.0, "lkj mean");
            assert_mean(&r.iter().map(|x| x * x).collect::<Vec<_>>(), var, "lkj variance");
        }
        // The Cholesky form: rows of unit length, upper triangle zero.
        let l = lkj_corr_cholesky(&mut rng, 3, 0.7).unwrap();
        for i in 0..3 {
            assert!(((0..3).map(|j| l[i * 3 + j] * l[i * 3 + j]).sum::<f64>() - 1.0).abs() < 1e-12);
            assert!((i + 1..3).all(|j| l[i * 3 + j] == 0.0));
        }
        assert!(lkj_corr(&mut rng, 0, 1.0).is_err() && lkj_corr(&mut rng, 2, -1.0).is_err());
        assert_eq!(lkj_corr(&mut rng, 1, 2.0).unwrap(), vec![1.0]);
    }

    #[test]
    fn categorical_frequencies() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let theta = [0.2, 0.0, 0.5, 0.3];
        let draws: Vec<i64> = (0..N).map(|_| categorical(&mut rng, &theta).unwrap()).collect();
        for (k, &t) in theta.iter().enumerate() {
            let hits: Vec<f64> = draws.iter().map(|&d| (d == k as i64 + 1) as u8 as f64).collect();
            if t == 0.0 {
                assert!(hits.iter().all(|&h| h == 0.0));
            } else {
                assert_mean(&hits, t, "categorical frequency");
            }
        }
        let beta = [0.0, 1.0, -1.0];
        let s: f64 = beta.iter().map(|b: &f64| b.exp()).sum();
        let draws: Vec<i64> = (0..N).map(|_| categorical_logit(&mut rng, &beta).unwrap()).collect();
        for (k, b) in beta.iter().enumerate() {
            let hits: Vec<f64> = draws.iter().map(|&d| (d == k as i64 + 1) as u8 as f64).collect();
            assert_mean(&hits, b.exp() / s, "categorical_logit frequency");
        }
        assert!(categorical(&mut rng, &[0.5, 0.6]).is_err());
        assert!(categorical_logit(&mut rng, &[f64::INFINITY]).is_err());
    }
}
