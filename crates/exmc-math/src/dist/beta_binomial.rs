//! Beta-binomial distribution `beta_binomial(N, alpha, beta)`.
//!
//! # Formula
//! `log p(n) = log C(N, n) + log B(n + α, N − n + β) − log B(α, β)`.
//! Partials: `∂/∂α = ψ(n + α) − ψ(N + α + β) − ψ(α) + ψ(α + β)`,
//! `∂/∂β = ψ(N − n + β) − ψ(N + α + β) − ψ(β) + ψ(α + β)`.
//! CDF: the finite sum `log Σ_{k ≤ n} p(k)` by a streaming log-sum-exp (its
//! partials are the `p(k)`-weighted averages of the terms' partials); CCDF the
//! sum over `k > n`. `O(N)`, no allocation.

use super::{check_positive, Discrete, DiscreteCdf, DistError};
use crate::special::{digamma_f64, lbeta_f64, lchoose_f64};
use exmc_core::Real;

pub struct BetaBinomial;

fn lpmf_f64(k: i64, nn: i64, a: f64, b: f64) -> (f64, f64, f64) {
    let (kf, nf) = (k as f64, nn as f64);
    let psi_all = digamma_f64(nf + a + b);
    let psi_ab = digamma_f64(a + b);
    let v = lchoose_f64(nf, kf) + lbeta_f64(kf + a, nf - kf + b) - lbeta_f64(a, b);
    let da = digamma_f64(kf + a) - psi_all - digamma_f64(a) + psi_ab;
    let db = digamma_f64(nf - kf + b) - psi_all - digamma_f64(b) + psi_ab;
    (v, da, db)
}

impl Discrete for BetaBinomial {
    const NAME: &'static str = "beta_binomial";
    const INT_ARGS: &'static [&'static str] = &["n", "N"];
    const PARAMS: &'static [&'static str] = &["alpha", "beta"];

    fn check_ints(n: &[i64]) -> Result<(), DistError> {
        if n[1] < 0 {
            return Err(DistError {
                dist: Self::NAME,
                arg: "N",
                must_be: "non-negative",
                value: n[1] as f64,
            });
        }
        if n[0] < 0 || n[0] > n[1] {
            return Err(DistError {
                dist: Self::NAME,
                arg: "n",
                must_be: "in [0, N]",
                value: n[0] as f64,
            });
        }
        Ok(())
    }
    fn data_terms(n: &[i64]) -> f64 {
        lchoose_f64(n[1] as f64, n[0] as f64)
    }
    #[inline]
    fn lpmf_rest<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        check_positive(Self::NAME, "alpha", p[0])?;
        check_positive(Self::NAME, "beta", p[1])?;
        let (a, b) = (p[0].f64(), p[1].f64());
        let (v, da, db) = lpmf_f64(n[0], n[1], a, b);
        dp[0] = T::c(da);
        dp[1] = T::c(db);
        Ok(T::c(v - lchoose_f64(n[1] as f64, n[0] as f64)))
    }
    fn rng<R: rand::Rng + ?Sized>(rng: &mut R, n: &[i64], p: &[f64]) -> i64 {
        let t = match rand_distr::Beta::new(p[0], p[1]) {
            Ok(d) => rng.sample(d),
            Err(_) => return -1,
        };
        match rand_distr::Binomial::new(n[1].max(0) as u64, t) {
            Ok(d) => rng.sample(d) as i64,
            Err(_) => -1,
        }
    }
}

fn cdf_impl<T: Real>(n: &[i64], p: &[T], dp: &mut [T], upper: bool) -> Result<T, DistError> {
    check_positive(BetaBinomial::NAME, "alpha", p[0])?;
    check_positive(BetaBinomial::NAME, "beta", p[1])?;
    dp[0] = T::zero();
    dp[1] = T::zero();
    let nn = n[1];
    let (lo, hi) = if upper {
        (n[0].saturating_add(1).max(0), nn)
    } else {
        (0, n[0].min(nn))
    };
    if lo > hi {
        return Ok(T::neg_infinity());
    }
    let (a, b) = (p[0].f64(), p[1].f64());
    // streaming log-sum-exp with weighted partials
    let (mut m, mut s, mut ga, mut gb) = (f64::NEG_INFINITY, 0.0, 0.0, 0.0);
    for k in lo..=hi {
        let (v, da, db) = lpmf_f64(k, nn, a, b);
        if v > m {
            let r = (m - v).exp();
            s *= r;
            ga *= r;
            gb *= r;
            m = v;
        }
        let w = (v - m).exp();
        s += w;
        ga += w * da;
        gb += w * db;
    }
    dp[0] = T::c(ga / s);
    dp[1] = T::c(gb / s);
    // exact complement where the sum covers everything
    let l = m + s.ln();
    Ok(T::c(l.min(0.0)))
}

impl DiscreteCdf for BetaBinomial {
    fn lcdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, false)
    }
    fn lccdf<T: Real>(n: &[i64], p: &[T], dp: &mut [T]) -> Result<T, DistError> {
        cdf_impl(n, p, dp, true)
    }
}
