//! Analytic partials against finite differences (f64, seeded random valid
//! points): every univariate density w.r.t. the variate and every parameter,
//! every log CDF / CCDF, the discrete masses and CDFs, truncation, censoring,
//! the multivariate kernels and `log_mix`.
//!
//! The finite difference is the 5-point stencil
//! `(8(f(v+h) − f(v−h)) − (f(v+2h) − f(v−2h))) / 12h`, `h = 1e-4 · max(|v|, 0.1)`
//! (error O(h⁴)); tolerance `|fd − analytic| ≤ 1e-6 · max(|analytic|, 1)`.

use exmc_math::dist::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N_POINTS: usize = 40;

fn fd<F: Fn(f64) -> f64>(f: F, v: f64) -> f64 {
    let h = 1e-4 * v.abs().max(0.1);
    (8.0 * (f(v + h) - f(v - h)) - (f(v + 2.0 * h) - f(v - 2.0 * h))) / (12.0 * h)
}

fn close(what: &str, an: f64, num: f64) {
    assert!(
        (an - num).abs() <= 1e-6 * an.abs().max(1.0),
        "{what}: analytic {an:e} vs finite difference {num:e}"
    );
}

/// Checks `f(args) -> (value, partials)` for every argument index in `idx`.
fn check_fn<F: Fn(&[f64], &mut [f64]) -> f64>(what: &str, args: &[f64], nd: usize, f: F) {
    let mut d = vec![0.0; nd];
    let v = f(args, &mut d);
    assert!(v.is_finite(), "{what}: value {v} at {args:?}");
    for k in 0..args.len() {
        let g = |t: f64| {
            let mut a = args.to_vec();
            a[k] = t;
            let mut dd = vec![0.0; nd];
            f(&a, &mut dd)
        };
        close(&format!("{what} ∂arg{k} at {args:?}"), d[k], fd(g, args[k]));
    }
}

type Gen = fn(&mut ChaCha8Rng) -> (f64, Vec<f64>);

fn check_cont<D: Continuous>(gen: Gen) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..N_POINTS {
        let (x, p) = gen(&mut rng);
        let mut args = vec![x];
        args.extend(&p);
        check_fn(&format!("{} lpdf", D::NAME), &args, args.len(), |a, d| {
            D::lpdf(a[0], &a[1..], d).unwrap()
        });
    }
}

fn check_cdf<D: Cdf>(gen: Gen) {
    check_cont::<D>(gen);
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for _ in 0..N_POINTS {
        let (x, p) = gen(&mut rng);
        let mut args = vec![x];
        args.extend(&p);
        check_fn(&format!("{} lcdf", D::NAME), &args, args.len(), |a, d| {
            D::lcdf(a[0], &a[1..], d).unwrap()
        });
        check_fn(&format!("{} lccdf", D::NAME), &args, args.len(), |a, d| {
            D::lccdf(a[0], &a[1..], d).unwrap()
        });
    }
}

fn u(r: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    a + (b - a) * r.random::<f64>()
}
fn n01(r: &mut ChaCha8Rng) -> f64 {
    r.sample(rand_distr::StandardNormal)
}

#[test]
fn continuous_lpdf_lcdf_lccdf_partials() {
    check_cdf::<Normal>(|r| {
        let (m, s) = (u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 3.0 * s * n01(r), vec![m, s])
    });
    check_cdf::<HalfNormal>(|r| {
        let s = u(r, 0.2, 3.0);
        (s * u(r, 0.05, 4.0), vec![s])
    });
    check_cdf::<StudentT>(|r| {
        let (nu, m, s) = (u(r, 0.5, 40.0), u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 4.0 * s * n01(r), vec![nu, m, s])
    });
    check_cdf::<HalfStudentT>(|r| {
        let (nu, s) = (u(r, 0.5, 40.0), u(r, 0.2, 3.0));
        (s * u(r, 0.05, 6.0), vec![nu, s])
    });
    check_cdf::<Cauchy>(|r| {
        let (m, s) = (u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 5.0 * s * n01(r), vec![m, s])
    });
    check_cdf::<HalfCauchy>(|r| {
        let s = u(r, 0.2, 3.0);
        (s * u(r, 0.05, 10.0), vec![s])
    });
    check_cdf::<DoubleExponential>(|r| {
        let (m, s) = (u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 3.0 * s * n01(r), vec![m, s])
    });
    check_cdf::<Logistic>(|r| {
        let (m, s) = (u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 3.0 * s * n01(r), vec![m, s])
    });
    check_cdf::<Gumbel>(|r| {
        let (m, s) = (u(r, -3.0, 3.0), u(r, 0.2, 3.0));
        (m + 2.0 * s * n01(r), vec![m, s])
    });
    check_cdf::<Lognormal>(|r| {
        let (m, s) = (u(r, -1.0, 1.0), u(r, 0.2, 1.5));
        ((m + 2.0 * s * n01(r)).exp(), vec![m, s])
    });
    check_cdf::<Exponential>(|r| (u(r, 0.05, 5.0), vec![u(r, 0.2, 3.0)]));
    check_cdf::<Gamma>(|r| (u(r, 0.05, 8.0), vec![u(r, 0.3, 20.0), u(r, 0.2, 3.0)]));
    check_cdf::<InvGamma>(|r| (u(r, 0.1, 8.0), vec![u(r, 0.3, 20.0), u(r, 0.2, 3.0)]));
    check_cdf::<Weibull>(|r| (u(r, 0.05, 4.0), vec![u(r, 0.5, 5.0), u(r, 0.3, 3.0)]));
    check_cdf::<Beta>(|r| (u(r, 0.02, 0.98), vec![u(r, 0.3, 30.0), u(r, 0.3, 30.0)]));
    check_cdf::<Uniform>(|r| {
        let a = u(r, -3.0, 1.0);
        let b = a + u(r, 0.5, 4.0);
        (u(r, a + 0.01 * (b - a), b - 0.01 * (b - a)), vec![a, b])
    });
    check_cdf::<ChiSquare>(|r| (u(r, 0.1, 20.0), vec![u(r, 0.5, 20.0)]));
    check_cont::<VonMises>(|r| (u(r, -3.0, 3.0), vec![u(r, -1.0, 1.0), u(r, 0.0, 60.0)]));
}

fn check_disc<D: DiscreteCdf>(gen: fn(&mut ChaCha8Rng) -> (Vec<i64>, Vec<f64>), cdf: bool) {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for _ in 0..N_POINTS {
        let (n, p) = gen(&mut rng);
        check_fn(&format!("{} lpmf {n:?}", D::NAME), &p, p.len(), |a, d| {
            D::lpmf(&n, a, d).unwrap()
        });
        if cdf {
            // A tail with no mass (e.g. P(N > N_max)) is −inf or exactly 0
            // with zero partials; the others are checked.
            let mut d = vec![0.0; p.len()];
            for upper in [false, true] {
                let f = |a: &[f64], d: &mut [f64]| {
                    if upper {
                        D::lccdf(&n, a, d).unwrap()
                    } else {
                        D::lcdf(&n, a, d).unwrap()
                    }
                };
                let v = f(&p, &mut d);
                if v == f64::NEG_INFINITY || v == 0.0 {
                    assert!(
                        d.iter().all(|&g| g == 0.0),
                        "{} {n:?}: {v} with partials {d:?}",
                        D::NAME
                    );
                    continue;
                }
                check_fn(
                    &format!("{} {} {n:?}", D::NAME, if upper { "lccdf" } else { "lcdf" }),
                    &p,
                    p.len(),
                    f,
                );
            }
        }
    }
}

fn check_pmf<D: Discrete>(gen: fn(&mut ChaCha8Rng) -> (Vec<i64>, Vec<f64>)) {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    for _ in 0..N_POINTS {
        let (n, p) = gen(&mut rng);
        check_fn(&format!("{} lpmf {n:?}", D::NAME), &p, p.len(), |a, d| {
            D::lpmf(&n, a, d).unwrap()
        });
    }
}

#[test]
fn discrete_partials() {
    check_disc::<Bernoulli>(
        |r| (vec![r.random_range(0..2)], vec![u(r, 0.05, 0.95)]),
        true,
    );
    check_pmf::<BernoulliLogit>(|r| (vec![r.random_range(0..2)], vec![u(r, -5.0, 5.0)]));
    check_disc::<Binomial>(
        |r| {
            let nn = r.random_range(1..40);
            (vec![r.random_range(0..nn), nn], vec![u(r, 0.05, 0.95)])
        },
        true,
    );
    check_pmf::<BinomialLogit>(|r| {
        let nn = r.random_range(1..40);
        (vec![r.random_range(0..=nn), nn], vec![u(r, -4.0, 4.0)])
    });
    check_disc::<Poisson>(
        |r| (vec![r.random_range(0..30)], vec![u(r, 0.1, 20.0)]),
        true,
    );
    check_pmf::<PoissonLog>(|r| (vec![r.random_range(0..30)], vec![u(r, -2.0, 3.0)]));
    check_disc::<NegBinomial2>(
        |r| {
            (
                vec![r.random_range(0..40)],
                vec![u(r, 0.2, 20.0), u(r, 0.2, 30.0)],
            )
        },
        true,
    );
    check_disc::<BetaBinomial>(
        |r| {
            let nn = r.random_range(1..30);
            (
                vec![r.random_range(0..nn), nn],
                vec![u(r, 0.3, 10.0), u(r, 0.3, 10.0)],
            )
        },
        true,
    );
}

#[test]
fn truncation_and_censoring_partials() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..N_POINTS {
        let r = &mut rng;
        let (m, s) = (u(r, -2.0, 2.0), u(r, 0.3, 2.0));
        let lo = m + s * u(r, -3.0, 4.0);
        let hi = lo + s * u(r, 0.3, 3.0);
        let x = u(r, lo + 0.05 * (hi - lo), hi - 0.05 * (hi - lo));
        // both bounds, lower only, upper only
        for mode in 0..3 {
            let f = |which: u8| {
                move |a: &[f64], d: &mut [f64]| {
                    let l = if mode != 2 { Some(a[3]) } else { None };
                    let h = if mode != 1 { Some(a[4]) } else { None };
                    let mut dd = [0.0; 5];
                    let v = match which {
                        0 => truncated_lpdf::<Normal, f64>(a[0], &a[1..3], l, h, &mut dd),
                        1 => truncated_lcdf::<Normal, f64>(a[0], &a[1..3], l, h, &mut dd),
                        _ => truncated_lccdf::<Normal, f64>(a[0], &a[1..3], l, h, &mut dd),
                    }
                    .unwrap();
                    d.copy_from_slice(&dd);
                    v
                }
            };
            let args = [x, m, s, lo, hi];
            check_fn(
                &format!("truncated normal lpdf mode {mode}"),
                &args,
                5,
                f(0),
            );
            check_fn(
                &format!("truncated normal lcdf mode {mode}"),
                &args,
                5,
                f(1),
            );
            check_fn(
                &format!("truncated normal lccdf mode {mode}"),
                &args,
                5,
                f(2),
            );
        }
        // gamma truncated, interval-censored student_t
        let (a, b) = (u(r, 0.5, 8.0), u(r, 0.3, 3.0));
        let (lo, hi) = (u(r, 0.1, 2.0), u(r, 2.5, 6.0));
        let x = u(r, lo, hi);
        check_fn("truncated gamma", &[x, a, b, lo, hi], 5, |q, d| {
            truncated_lpdf::<Gamma, f64>(q[0], &q[1..3], Some(q[3]), Some(q[4]), d).unwrap()
        });
        let (nu, mu, sg) = (u(r, 1.0, 20.0), u(r, -1.0, 1.0), u(r, 0.5, 2.0));
        let ca = mu + sg * u(r, -3.0, 3.0);
        let cb = ca + u(r, 0.1, 3.0);
        check_fn(
            "interval-censored student_t",
            &[ca, cb, nu, mu, sg],
            5,
            |q, d| log_interval_prob::<StudentT, f64>(q[0], q[1], &q[2..5], d).unwrap(),
        );
    }
}

fn lower_chol(r: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..i {
            l[i * n + j] = 0.5 * n01(r);
        }
        l[i * n + i] = u(r, 0.5, 2.0);
    }
    l
}

#[test]
fn multivariate_partials() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    for _ in 0..10 {
        let r = &mut rng;
        let n = r.random_range(1..5);
        // multi_normal_cholesky: args = x, mu, L (lower entries only are perturbed)
        let l = lower_chol(r, n);
        let x: Vec<f64> = (0..n).map(|_| 2.0 * n01(r)).collect();
        let mu: Vec<f64> = (0..n).map(|_| n01(r)).collect();
        let mut args = x.clone();
        args.extend(&mu);
        args.extend(&l);
        check_fn("multi_normal_cholesky", &args, 2 * n + n * n, |a, d| {
            let (dx, rest) = d.split_at_mut(n);
            let (dm, dl) = rest.split_at_mut(n);
            let mut lv = a[2 * n..].to_vec();
            for i in 0..n {
                for j in i + 1..n {
                    lv[i * n + j] = 0.0;
                }
            }
            multi_normal_cholesky_lpdf(&a[..n], &a[n..2 * n], &lv, dx, dm, dl).unwrap()
        });
        // multi_normal: Σ = L Lᵀ; perturb the symmetric pair together.
        let mut sigma = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                sigma[i * n + j] = (0..n).map(|k| l[i * n + k] * l[j * n + k]).sum();
            }
        }
        let (mut dx, mut dm, mut ds, mut sc) = (
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n * n],
            vec![0.0; n * n],
        );
        multi_normal_lpdf(&x, &mu, &sigma, &mut dx, &mut dm, &mut ds, &mut sc).unwrap();
        let eval = |xv: &[f64], mv: &[f64], s: &[f64]| {
            let (mut a, mut b, mut c, mut e) = (
                vec![0.0; n],
                vec![0.0; n],
                vec![0.0; n * n],
                vec![0.0; n * n],
            );
            multi_normal_lpdf(xv, mv, s, &mut a, &mut b, &mut c, &mut e).unwrap()
        };
        for k in 0..n {
            close(
                "multi_normal ∂x",
                dx[k],
                fd(
                    |t| {
                        let mut v = x.clone();
                        v[k] = t;
                        eval(&v, &mu, &sigma)
                    },
                    x[k],
                ),
            );
            close(
                "multi_normal ∂mu",
                dm[k],
                fd(
                    |t| {
                        let mut v = mu.clone();
                        v[k] = t;
                        eval(&x, &v, &sigma)
                    },
                    mu[k],
                ),
            );
        }
        for i in 0..n {
            for j in 0..=i {
                let want = if i == j {
                    ds[i * n + i]
                } else {
                    ds[i * n + j] + ds[j * n + i]
                };
                let g = |t: f64| {
                    let mut s = sigma.clone();
                    s[i * n + j] = t;
                    s[j * n + i] = t;
                    eval(&x, &mu, &s)
                };
                close("multi_normal ∂Sigma", want, fd(g, sigma[i * n + j]));
            }
        }
        // dirichlet
        let k = n + 1;
        let mut xs: Vec<f64> = (0..k).map(|_| u(r, 0.1, 1.0)).collect();
        let tot: f64 = xs.iter().sum();
        xs.iter_mut().for_each(|v| *v /= tot);
        let alpha: Vec<f64> = (0..k).map(|_| u(r, 0.3, 5.0)).collect();
        let (mut dxs, mut da) = (vec![0.0; k], vec![0.0; k]);
        dirichlet_lpdf(&xs, &alpha, &mut dxs, &mut da).unwrap();
        for j in 0..k {
            let g = |t: f64| {
                let mut a = alpha.clone();
                a[j] = t;
                let (mut p, mut q) = (vec![0.0; k], vec![0.0; k]);
                dirichlet_lpdf(&xs, &a, &mut p, &mut q).unwrap()
            };
            close("dirichlet ∂alpha", da[j], fd(g, alpha[j]));
            // ∂x along x_j ↔ x_last (stays on the simplex): ∂x_j − ∂x_last
            if j + 1 < k {
                let g = |t: f64| {
                    let mut v = xs.clone();
                    let delta = t - v[j];
                    v[j] = t;
                    v[k - 1] -= delta;
                    let (mut p, mut q) = (vec![0.0; k], vec![0.0; k]);
                    dirichlet_lpdf(&v, &alpha, &mut p, &mut q).unwrap()
                };
                close("dirichlet ∂x", dxs[j] - dxs[k - 1], fd(g, xs[j]));
            }
        }
        // categorical_logit
        let beta: Vec<f64> = (0..k).map(|_| 2.0 * n01(r)).collect();
        let cat = r.random_range(0..k);
        check_fn("categorical_logit", &beta, k, |a, d| {
            categorical_logit_lpmf(cat, a, d).unwrap()
        });
        // log_mix
        let th: Vec<f64> = {
            let mut t: Vec<f64> = (0..k).map(|_| u(r, 0.1, 1.0)).collect();
            let s: f64 = t.iter().sum();
            t.iter_mut().for_each(|v| *v /= s);
            t
        };
        let lps: Vec<f64> = (0..k).map(|_| u(r, -10.0, 0.0)).collect();
        let (mut dth, mut dlp) = (vec![0.0; k], vec![0.0; k]);
        let m0 = log_mix_vec(&th, &lps, &mut dth, &mut dlp).unwrap();
        for j in 0..k {
            let g = |t: f64| {
                let mut l2 = lps.clone();
                l2[j] = t;
                let (mut a, mut b) = (vec![0.0; k], vec![0.0; k]);
                log_mix_vec(&th, &l2, &mut a, &mut b).unwrap()
            };
            close("log_mix_vec ∂lp", dlp[j], fd(g, lps[j]));
        }
        // θ partials: the function is linear in θ inside the log: check via
        // the directional derivative along θ_j ↔ θ_0 (stays on the simplex).
        for j in 1..k {
            let g = |t: f64| {
                let mut t2 = th.clone();
                let delta = t - t2[j];
                t2[j] = t;
                t2[0] -= delta;
                let (mut a, mut b) = (vec![0.0; k], vec![0.0; k]);
                log_mix_vec(&t2, &lps, &mut a, &mut b).unwrap()
            };
            close("log_mix_vec ∂theta", dth[j] - dth[0], fd(g, th[j]));
        }
        assert!(m0.is_finite());
        let (t1, a1, b1) = (u(r, 0.05, 0.95), u(r, -8.0, 0.0), u(r, -8.0, 0.0));
        check_fn("log_mix", &[t1, a1, b1], 3, |a, d| {
            let mut dd = [0.0; 3];
            let v = log_mix(a[0], a[1], a[2], &mut dd).unwrap();
            d.copy_from_slice(&dd);
            v
        });
        // gaussian random walk with an initial density
        let len = r.random_range(1..8);
        let mut args: Vec<f64> = (0..len).map(|_| 2.0 * n01(r)).collect();
        args.extend([n01(r), u(r, 0.5, 2.0), u(r, 0.3, 2.0)]);
        check_fn("gaussian_random_walk", &args, len + 3, |a, d| {
            let (dx, rest) = d.split_at_mut(len);
            let mut di = [0.0; 2];
            let mut ds = 0.0;
            let v = gaussian_random_walk_lpdf(
                &a[..len],
                Some((a[len], a[len + 1])),
                a[len + 2],
                dx,
                &mut di,
                &mut ds,
            )
            .unwrap();
            rest[0] = di[0];
            rest[1] = di[1];
            rest[2] = ds;
            v
        });
        // lkj_corr_cholesky: diagonal and η partials (L from a valid factor)
        let kk = n + 1;
        let mut lc = lower_chol(r, kk);
        for i in 0..kk {
            let norm: f64 = (0..=i)
                .map(|j| lc[i * kk + j] * lc[i * kk + j])
                .sum::<f64>()
                .sqrt();
            for j in 0..=i {
                lc[i * kk + j] /= norm;
            }
        }
        let eta = u(r, 0.5, 4.0);
        let (mut dl, mut de) = (vec![0.0; kk * kk], 0.0);
        lkj_corr_cholesky_lpdf(&lc, kk, eta, &mut dl, &mut de).unwrap();
        let ev = |lv: &[f64], e: f64| {
            let (mut a, mut b) = (vec![0.0; kk * kk], 0.0);
            lkj_corr_cholesky_lpdf(lv, kk, e, &mut a, &mut b).unwrap()
        };
        close("lkj_corr_cholesky ∂eta", de, fd(|t| ev(&lc, t), eta));
        for i in 0..kk {
            close(
                "lkj_corr_cholesky ∂L_ii",
                dl[i * kk + i],
                fd(
                    |t| {
                        let mut v = lc.clone();
                        v[i * kk + i] = t;
                        ev(&v, eta)
                    },
                    lc[i * kk + i],
                ),
            );
        }
        // lkj_corr: η and symmetric off-diagonal partials
        let mut om = vec![0.0; kk * kk];
        for i in 0..kk {
            for j in 0..kk {
                om[i * kk + j] = (0..kk).map(|m| lc[i * kk + m] * lc[j * kk + m]).sum();
            }
            om[i * kk + i] = 1.0;
        }
        let ev2 = |o: &[f64], e: f64| {
            let (mut a, mut b, mut c) = (vec![0.0; kk * kk], 0.0, vec![0.0; kk * kk]);
            lkj_corr_lpdf(o, kk, e, &mut a, &mut b, &mut c).unwrap()
        };
        let (mut dom, mut de2, mut sc2) = (vec![0.0; kk * kk], 0.0, vec![0.0; kk * kk]);
        lkj_corr_lpdf(&om, kk, eta, &mut dom, &mut de2, &mut sc2).unwrap();
        close("lkj_corr ∂eta", de2, fd(|t| ev2(&om, t), eta));
        for i in 0..kk {
            for j in 0..i {
                let g = |t: f64| {
                    let mut o = om.clone();
                    o[i * kk + j] = t;
                    o[j * kk + i] = t;
                    ev2(&o, eta)
                };
                close(
                    "lkj_corr ∂Omega",
                    dom[i * kk + j] + dom[j * kk + i],
                    fd(g, om[i * kk + j]),
                );
            }
        }
    }
}
