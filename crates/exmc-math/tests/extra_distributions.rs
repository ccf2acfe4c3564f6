//! The distributions added for Stan coverage (skew_normal, exp_mod_normal,
//! inv_chi_square, scaled_inv_chi_square, rayleigh, pareto, pareto_type_2,
//! frechet, beta_proportion, skew_double_exponential; neg_binomial,
//! neg_binomial_2_log) and the special functions owens_t / trigamma /
//! tetragamma, measured six ways:
//!
//! 1. values against SciPy (`tests/fixtures/extra_distributions.json`, written
//!    by `make_extra.py`): `|got − want| ≤ 1e-8 · max(|want|, 1)`; a SciPy
//!    `-inf` log CDF (underflowed probability) accepts a value below −700;
//! 2. normalisation: `∫ exp(lpdf) = 1` within 1e-8 by tanh-sinh quadrature
//!    over the support (a pmf summed to 1 within 1e-10);
//! 3. partials of lpdf / lcdf / lccdf (and lpmf / CDFs) against 5-point
//!    finite differences in every argument, `≤ 1e-6 · max(|an|, 1)`;
//! 4. the reductions to existing kernels (value and every partial, 1e-10);
//! 5. `rng`: the sample mean within 5 standard errors of the mean, and the
//!    fraction of draws below three quantiles within 5 binomial standard
//!    errors of the CDF (20 000 draws, fixed seed);
//! 6. bad parameters give a `DistError` naming the distribution and argument.

use exmc_math::dist::*;
use exmc_math::special::{lgamma_f64, owens_t_f64, tetragamma_f64, trigamma_f64};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/extra_distributions.json");

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => match s.as_str() {
            "nan" => f64::NAN,
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            o => panic!("bad number {o}"),
        },
        o => panic!("not a number: {o}"),
    }
}

fn fixture() -> Value {
    serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture file")).expect("json")
}

/// `[lpdf, lcdf, lccdf]` of a continuous distribution.
fn cont3<D: Cdf>(x: f64, p: &[f64]) -> [f64; 3] {
    let mut d = [0.0; 8];
    [
        D::lpdf(x, p, &mut d).unwrap(),
        D::lcdf(x, p, &mut d).unwrap(),
        D::lccdf(x, p, &mut d).unwrap(),
    ]
}

/// `[lpdf, lcdf, lccdf]` of the f32 kernel at the f32-rounded inputs, and of
/// the f64 kernel at the same rounded inputs.
fn cont3_f32<D: Cdf>(x: f64, p: &[f64]) -> ([f64; 3], [f64; 3]) {
    let (x32, p32): (f32, Vec<f32>) = (x as f32, p.iter().map(|&v| v as f32).collect());
    let mut d = [0f32; 8];
    let a = [
        D::lpdf(x32, &p32, &mut d).unwrap() as f64,
        D::lcdf(x32, &p32, &mut d).unwrap() as f64,
        D::lccdf(x32, &p32, &mut d).unwrap() as f64,
    ];
    let p64: Vec<f64> = p32.iter().map(|&v| v as f64).collect();
    (a, cont3::<D>(x32 as f64, &p64))
}

macro_rules! by_name {
    ($name:expr, $f:ident, $x:expr, $p:expr) => {
        match $name {
            "skew_normal" => $f::<SkewNormal>($x, $p),
            "exp_mod_normal" => $f::<ExpModNormal>($x, $p),
            "inv_chi_square" => $f::<InvChiSquare>($x, $p),
            "scaled_inv_chi_square" => $f::<ScaledInvChiSquare>($x, $p),
            "rayleigh" => $f::<Rayleigh>($x, $p),
            "pareto" => $f::<Pareto>($x, $p),
            "pareto_type_2" => $f::<ParetoType2>($x, $p),
            "frechet" => $f::<Frechet>($x, $p),
            "beta_proportion" => $f::<BetaProportion>($x, $p),
            "skew_double_exponential" => $f::<SkewDoubleExponential>($x, $p),
            other => panic!("fixture distribution {other} not dispatched"),
        }
    };
}

fn cont_by_name(name: &str, x: f64, p: &[f64]) -> [f64; 3] {
    by_name!(name, cont3, x, p)
}

/// f32 kernels against the f64 kernels at the same (rounded) inputs,
/// `≤ 1e-4 · max(|ref|, 1)`, over the fixture's points inside the f32 range
/// (finite and above 1e-30 in magnitude where nonzero).
#[test]
fn f32_kernels_track_f64() {
    let f = fixture();
    let mut n = 0;
    for c in f["cases"].as_array().unwrap() {
        let Some(x) = c.get("x") else { continue };
        let x = num(x);
        let name = c["dist"].as_str().unwrap();
        let p: Vec<f64> = c["params"].as_array().unwrap().iter().map(num).collect();
        if !(x == 0.0 || (x.abs() > 1e-30 && x.abs() < 1e30)) {
            continue;
        }
        let (a, b) = by_name!(name, cont3_f32, x, &p);
        for k in 0..3 {
            if b[k].is_finite() && b[k].abs() < 1e30 {
                assert!((a[k] - b[k]).abs() <= 1e-4 * b[k].abs().max(1.0), "{name}{p:?} f32 eval {k} at {x}: {} vs {}", a[k], b[k]);
                n += 1;
            }
        }
    }
    assert!(n > 700, "only {n} f32 values checked");
}

fn agree(what: &str, got: f64, want: f64, tol: f64) {
    if want == f64::NEG_INFINITY {
        assert!(got < -700.0, "{what}: {got} vs SciPy -inf");
        return;
    }
    assert!((got - want).abs() <= tol * want.abs().max(1.0), "{what}: {got} vs SciPy {want}");
}

#[test]
fn values_match_scipy() {
    let f = fixture();
    let mut n = 0;
    for c in f["cases"].as_array().unwrap() {
        let name = c["dist"].as_str().unwrap();
        let p: Vec<f64> = c["params"].as_array().unwrap().iter().map(num).collect();
        if let Some(x) = c.get("x") {
            let x = num(x);
            let got = cont_by_name(name, x, &p);
            for (k, key) in ["logpdf", "logcdf", "logccdf"].iter().enumerate() {
                agree(&format!("{name}{p:?} {key} at {x}"), got[k], num(&c[*key]), 1e-8);
                n += 1;
            }
        } else {
            let k = c["n"].as_i64().unwrap();
            let mut d = [0.0; 4];
            let want = num(&c["logpmf"]);
            let got = match name {
                "neg_binomial" => {
                    agree(&format!("{name} lcdf n={k}"), NegBinomial::lcdf(&[k], &p, &mut d).unwrap(), num(&c["logcdf"]), 1e-8);
                    agree(&format!("{name} lccdf n={k}"), NegBinomial::lccdf(&[k], &p, &mut d).unwrap(), num(&c["logccdf"]), 1e-8);
                    NegBinomial::lpmf(&[k], &p, &mut d).unwrap()
                }
                "neg_binomial_2_log" => NegBinomial2Log::lpmf(&[k], &p, &mut d).unwrap(),
                other => panic!("fixture distribution {other} not dispatched"),
            };
            agree(&format!("{name}{p:?} logpmf at {k}"), got, want, 1e-8);
            n += 1;
        }
    }
    assert!(n > 800, "only {n} values checked");
}

#[test]
fn special_functions_match_scipy() {
    use exmc_math::special::{gamma_p, gamma_q, lbeta_f64};
    let f = fixture();
    for c in f["functions"].as_array().unwrap() {
        let a: Vec<f64> = c["args"].as_array().unwrap().iter().map(num).collect();
        let want = num(&c["value"]);
        let name = c["fn"].as_str().unwrap();
        let got = match name {
            "owens_t" => owens_t_f64(a[0], a[1]),
            "gamma_p" => gamma_p(a[0], a[1]),
            "gamma_q" => gamma_q(a[0], a[1]),
            "beta" => lbeta_f64(a[0], a[1]).exp(),
            "trigamma" => trigamma_f64(a[0]),
            "tetragamma" => tetragamma_f64(a[0]),
            o => panic!("{o} not dispatched"),
        };
        // relative 1e-10 (absolute near 0; owens_t values go down to ~1e-18)
        let tol = if name == "owens_t" { 1e-12 * want.abs().max(1e-6) } else { 1e-10 * want.abs().max(1e-300) };
        assert!((got - want).abs() <= tol, "{name}{a:?}: {got} vs {want}");
    }
}

// ---------------------------------------------------------------- normalisation

/// `∫_{-1}^{1} g(t) dt` by tanh-sinh with step `1/64` over `|u| ≤ 4.5`.
fn tanh_sinh<F: Fn(f64) -> f64>(g: F) -> f64 {
    let h = 1.0 / 64.0;
    let hp = std::f64::consts::FRAC_PI_2;
    let mut s = 0.0;
    let kmax = (4.5 / h) as i64;
    for k in -kmax..=kmax {
        let u = k as f64 * h;
        let v = hp * u.sinh();
        let t = v.tanh();
        let w = hp * u.cosh() / (v.cosh() * v.cosh());
        if t.abs() < 1.0 {
            let y = g(t);
            if y.is_finite() {
                s += w * y;
            }
        }
    }
    s * h
}

/// `∫ exp(lpdf)` over the support: `x = c + s·t/(1 − t²)` on the real line,
/// `x = l + s·(1 + t)/(1 − t)` above a bound, `x = (1 + t)/2` on [0, 1].
fn total<D: Continuous>(p: &[f64], lower: Option<f64>, unit: bool, c: f64, s: f64) -> f64 {
    let dens = |x: f64| D::lpdf(x, p, &mut [0.0; 8]).unwrap().exp();
    if unit {
        return tanh_sinh(|t| 0.5 * dens(0.5 * (1.0 + t)));
    }
    match lower {
        Some(l) => tanh_sinh(|t| {
            let x = l + s * (1.0 + t) / (1.0 - t);
            dens(x) * 2.0 * s / ((1.0 - t) * (1.0 - t))
        }),
        None => tanh_sinh(|t| {
            let q = 1.0 - t * t;
            dens(c + s * t / q) * s * (1.0 + t * t) / (q * q)
        }),
    }
}

#[test]
fn densities_integrate_to_one() {
    let checks: Vec<(&str, f64)> = vec![
        ("skew_normal(0,1,0)", total::<SkewNormal>(&[0.0, 1.0, 0.0], None, false, 0.0, 1.0)),
        ("skew_normal(1.5,2,3)", total::<SkewNormal>(&[1.5, 2.0, 3.0], None, false, 3.0, 2.0)),
        ("skew_normal(-1,0.5,-4)", total::<SkewNormal>(&[-1.0, 0.5, -4.0], None, false, -1.4, 0.5)),
        ("exp_mod_normal(0,1,1)", total::<ExpModNormal>(&[0.0, 1.0, 1.0], None, false, 1.0, 1.0)),
        ("exp_mod_normal(2,0.5,3)", total::<ExpModNormal>(&[2.0, 0.5, 3.0], None, false, 2.3, 0.5)),
        ("exp_mod_normal(-1,2,0.2)", total::<ExpModNormal>(&[-1.0, 2.0, 0.2], None, false, 4.0, 5.0)),
        ("inv_chi_square(3.5)", total::<InvChiSquare>(&[3.5], Some(0.0), false, 0.0, 0.3)),
        ("inv_chi_square(10)", total::<InvChiSquare>(&[10.0], Some(0.0), false, 0.0, 0.1)),
        ("scaled_inv_chi_square(3.5,0.4)", total::<ScaledInvChiSquare>(&[3.5, 0.4], Some(0.0), false, 0.0, 0.2)),
        ("scaled_inv_chi_square(10,2.5)", total::<ScaledInvChiSquare>(&[10.0, 2.5], Some(0.0), false, 0.0, 6.0)),
        ("rayleigh(0.3)", total::<Rayleigh>(&[0.3], Some(0.0), false, 0.0, 0.3)),
        ("rayleigh(4.5)", total::<Rayleigh>(&[4.5], Some(0.0), false, 0.0, 4.5)),
        ("pareto(0.5,3)", total::<Pareto>(&[0.5, 3.0], Some(0.5), false, 0.0, 0.5)),
        ("pareto(3,7.5)", total::<Pareto>(&[3.0, 7.5], Some(3.0), false, 0.0, 0.5)),
        ("pareto_type_2(1.5,0.5,3)", total::<ParetoType2>(&[1.5, 0.5, 3.0], Some(1.5), false, 0.0, 0.5)),
        ("pareto_type_2(-2,2,2.5)", total::<ParetoType2>(&[-2.0, 2.0, 2.5], Some(-2.0), false, 0.0, 2.0)),
        ("frechet(3,0.5)", total::<Frechet>(&[3.0, 0.5], Some(0.0), false, 0.0, 0.5)),
        ("frechet(8,3)", total::<Frechet>(&[8.0, 3.0], Some(0.0), false, 0.0, 3.0)),
        ("beta_proportion(0.2,10)", total::<BetaProportion>(&[0.2, 10.0], None, true, 0.0, 0.0)),
        ("beta_proportion(0.9,8)", total::<BetaProportion>(&[0.9, 8.0], None, true, 0.0, 0.0)),
        ("beta_proportion(0.5,2)", total::<BetaProportion>(&[0.5, 2.0], None, true, 0.0, 0.0)),
    ];
    for (what, v) in checks {
        assert!((v - 1.0).abs() < 1e-8, "{what}: ∫ p = {v}");
    }
    // The skew double exponential has a kink at μ: each side separately.
    for p in [[0.0, 1.0, 0.5], [1.0, 2.0, 0.2], [-1.0, 0.5, 0.9]] {
        let dens = |x: f64| SkewDoubleExponential::lpdf(x, &p, &mut [0.0; 8]).unwrap().exp();
        let s = p[1];
        let right = tanh_sinh(|t| dens(p[0] + s * (1.0 + t) / (1.0 - t)) * 2.0 * s / ((1.0 - t) * (1.0 - t)));
        let left = tanh_sinh(|t| dens(p[0] - s * (1.0 + t) / (1.0 - t)) * 2.0 * s / ((1.0 - t) * (1.0 - t)));
        assert!((left + right - 1.0).abs() < 1e-8, "skew_double_exponential{p:?}: {}", left + right);
        assert!((left - p[2]).abs() < 1e-8, "mass below μ must be τ: {left}");
    }
}

#[test]
fn mass_functions_sum_to_one() {
    let mut d = [0.0f64; 2];
    for p in [[1.0, 1.0], [3.5, 0.4], [0.6, 2.0]] {
        let s: f64 = (0..20_000).map(|n| NegBinomial::lpmf(&[n], &p, &mut d).unwrap().exp()).sum();
        assert!((s - 1.0).abs() < 1e-10, "neg_binomial{p:?}: {s}");
    }
    for p in [[0.0, 1.0], [2.0, 3.5], [-1.5, 0.6]] {
        let s: f64 = (0..20_000).map(|n| NegBinomial2Log::lpmf(&[n], &p, &mut d).unwrap().exp()).sum();
        assert!((s - 1.0).abs() < 1e-10, "neg_binomial_2_log{p:?}: {s}");
    }
}

// ---------------------------------------------------------------- gradients

fn fd<F: Fn(f64) -> f64>(f: F, v: f64) -> f64 {
    let h = 1e-4 * v.abs().max(0.1);
    (8.0 * (f(v + h) - f(v - h)) - (f(v + 2.0 * h) - f(v - 2.0 * h))) / (12.0 * h)
}

fn check_fn<F: Fn(&[f64], &mut [f64]) -> f64>(what: &str, args: &[f64], f: F) {
    let mut d = vec![0.0; args.len()];
    let v = f(args, &mut d);
    assert!(v.is_finite(), "{what}: value {v} at {args:?}");
    for k in 0..args.len() {
        let g = |t: f64| {
            let mut a = args.to_vec();
            a[k] = t;
            f(&a, &mut vec![0.0; args.len()])
        };
        let num = fd(g, args[k]);
        assert!((d[k] - num).abs() <= 1e-6 * d[k].abs().max(1.0), "{what} ∂arg{k} at {args:?}: {} vs fd {num}", d[k]);
    }
}

type Gen = fn(&mut ChaCha8Rng) -> (f64, Vec<f64>);

fn u(r: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    a + (b - a) * r.random::<f64>()
}

fn grads<D: Cdf>(gen: Gen) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..40 {
        let (x, p) = gen(&mut rng);
        let mut a = vec![x];
        a.extend(&p);
        check_fn(&format!("{} lpdf", D::NAME), &a, |a, d| D::lpdf(a[0], &a[1..], d).unwrap());
        check_fn(&format!("{} lcdf", D::NAME), &a, |a, d| D::lcdf(a[0], &a[1..], d).unwrap());
        check_fn(&format!("{} lccdf", D::NAME), &a, |a, d| D::lccdf(a[0], &a[1..], d).unwrap());
    }
}

#[test]
fn continuous_partials_match_finite_differences() {
    grads::<SkewNormal>(|r| (u(r, -3.0, 4.0), vec![u(r, -1.0, 1.0), u(r, 0.5, 2.0), u(r, -3.0, 3.0)]));
    grads::<ExpModNormal>(|r| (u(r, -2.0, 5.0), vec![u(r, -1.0, 1.0), u(r, 0.5, 2.0), u(r, 0.3, 3.0)]));
    grads::<InvChiSquare>(|r| (u(r, 0.05, 3.0), vec![u(r, 0.5, 8.0)]));
    grads::<ScaledInvChiSquare>(|r| (u(r, 0.05, 3.0), vec![u(r, 0.5, 8.0), u(r, 0.3, 2.0)]));
    grads::<Rayleigh>(|r| (u(r, 0.05, 4.0), vec![u(r, 0.3, 3.0)]));
    grads::<Pareto>(|r| {
        let m = u(r, 0.3, 2.0);
        (m + u(r, 0.05, 5.0), vec![m, u(r, 0.3, 5.0)])
    });
    grads::<ParetoType2>(|r| {
        let m = u(r, -1.0, 1.0);
        (m + u(r, 0.05, 5.0), vec![m, u(r, 0.3, 3.0), u(r, 0.3, 5.0)])
    });
    grads::<Frechet>(|r| (u(r, 0.2, 4.0), vec![u(r, 0.5, 5.0), u(r, 0.3, 3.0)]));
    grads::<BetaProportion>(|r| (u(r, 0.05, 0.95), vec![u(r, 0.1, 0.9), u(r, 0.5, 20.0)]));
    grads::<SkewDoubleExponential>(|r| {
        let m = u(r, -1.0, 1.0);
        let side = if r.random::<bool>() { 1.0 } else { -1.0 };
        (m + side * u(r, 0.05, 3.0), vec![m, u(r, 0.3, 2.0), u(r, 0.1, 0.9)])
    });
}

#[test]
fn discrete_partials_match_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    for _ in 0..40 {
        let n = rng.random_range(0..30i64);
        let p = [u(&mut rng, 0.3, 10.0), u(&mut rng, 0.2, 5.0)];
        check_fn("neg_binomial lpmf", &p, |a, d| NegBinomial::lpmf(&[n], a, d).unwrap());
        check_fn("neg_binomial lcdf", &p, |a, d| NegBinomial::lcdf(&[n], a, d).unwrap());
        check_fn("neg_binomial lccdf", &p, |a, d| NegBinomial::lccdf(&[n], a, d).unwrap());
        let q = [u(&mut rng, -2.0, 3.0), u(&mut rng, 0.2, 20.0)];
        check_fn("neg_binomial_2_log lpmf", &q, |a, d| NegBinomial2Log::lpmf(&[n], a, d).unwrap());
    }
}

// ---------------------------------------------------------------- reductions

/// `(value, partials)` of `f` at `a` (partials over every argument).
fn vd(a: &[f64], f: impl Fn(&[f64], &mut [f64]) -> f64) -> (f64, Vec<f64>) {
    let mut d = vec![0.0; 8];
    let v = f(a, &mut d);
    (v, d)
}

fn same(what: &str, a: (f64, Vec<f64>), b: (f64, Vec<f64>), n: usize) {
    assert!((a.0 - b.0).abs() <= 1e-10 * a.0.abs().max(1.0), "{what}: value {} vs {}", a.0, b.0);
    for k in 0..n {
        assert!((a.1[k] - b.1[k]).abs() <= 1e-10 * a.1[k].abs().max(1.0), "{what} ∂{k}: {} vs {}", a.1[k], b.1[k]);
    }
}

#[test]
fn reductions_to_existing_kernels() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    for _ in 0..30 {
        let x = u(&mut rng, 0.05, 4.0);
        let (nu, s) = (u(&mut rng, 0.5, 9.0), u(&mut rng, 0.3, 3.0));
        // skew_normal(ξ, ω, 0) = normal(ξ, ω) (value, ∂x, ∂ξ, ∂ω)
        let xi = u(&mut rng, -1.0, 1.0);
        let a = vd(&[x, xi, s, 0.0], |a, d| SkewNormal::lpdf(a[0], &a[1..], d).unwrap());
        let b = vd(&[x, xi, s], |a, d| Normal::lpdf(a[0], &a[1..], d).unwrap());
        same("skew_normal α=0 vs normal", a, b, 3);
        for ev in 0..3 {
            let pick = |k: usize| ["lpdf", "lcdf", "lccdf"][k];
            // inv_chi_square(ν) = inv_gamma(ν/2, 1/2): ∂ν = ½ ∂α
            let a = vd(&[x, nu], |a, d| eval::<InvChiSquare>(ev, a[0], &a[1..], d));
            let mut b = vd(&[x, nu / 2.0, 0.5], |a, d| eval::<InvGamma>(ev, a[0], &a[1..], d));
            b.1[1] *= 0.5;
            same(&format!("inv_chi_square {}", pick(ev)), a, b, 2);
            // scaled_inv_chi_square(ν, s) = inv_gamma(ν/2, ν s²/2)
            let a = vd(&[x, nu, s], |a, d| eval::<ScaledInvChiSquare>(ev, a[0], &a[1..], d));
            let b = vd(&[x, nu / 2.0, nu * s * s / 2.0], |a, d| eval::<InvGamma>(ev, a[0], &a[1..], d));
            let bb = (b.0, vec![b.1[0], 0.5 * b.1[1] + 0.5 * s * s * b.1[2], nu * s * b.1[2]]);
            same(&format!("scaled_inv_chi_square {}", pick(ev)), a, bb, 3);
            // rayleigh(σ) = weibull(2, σ√2)
            let a = vd(&[x, s], |a, d| eval::<Rayleigh>(ev, a[0], &a[1..], d));
            let b = vd(&[x, 2.0, s * std::f64::consts::SQRT_2], |a, d| eval::<Weibull>(ev, a[0], &a[1..], d));
            let bb = (b.0, vec![b.1[0], std::f64::consts::SQRT_2 * b.1[2]]);
            same(&format!("rayleigh {}", pick(ev)), a, bb, 2);
            // beta_proportion(μ, κ) = beta(μκ, (1 − μ)κ)
            let (th, mu, k) = (u(&mut rng, 0.05, 0.95), u(&mut rng, 0.1, 0.9), u(&mut rng, 0.5, 20.0));
            let a = vd(&[th, mu, k], |a, d| eval::<BetaProportion>(ev, a[0], &a[1..], d));
            let b = vd(&[th, mu * k, (1.0 - mu) * k], |a, d| eval::<Beta>(ev, a[0], &a[1..], d));
            let bb = (b.0, vec![b.1[0], k * (b.1[1] - b.1[2]), mu * b.1[1] + (1.0 - mu) * b.1[2]]);
            same(&format!("beta_proportion {}", pick(ev)), a, bb, 3);
        }
        // neg_binomial(α, β) = neg_binomial_2(α/β, α); neg_binomial_2_log(η, φ) = neg_binomial_2(e^η, φ)
        let n = rng.random_range(0..25i64);
        let (al, be) = (u(&mut rng, 0.3, 8.0), u(&mut rng, 0.2, 4.0));
        let mut d = [0.0; 2];
        let a = NegBinomial::lpmf(&[n], &[al, be], &mut d).unwrap();
        let da = d;
        let b = NegBinomial2::lpmf(&[n], &[al / be, al], &mut d).unwrap();
        // chain: μ = α/β, φ = α: ∂α = ∂μ/β + ∂φ, ∂β = −α ∂μ/β²
        same("neg_binomial vs neg_binomial_2", (a, da.to_vec()), (b, vec![d[0] / be + d[1], -al * d[0] / (be * be)]), 2);
        let eta = u(&mut rng, -2.0, 3.0);
        let a = NegBinomial2Log::lpmf(&[n], &[eta, al], &mut d).unwrap();
        let da = d;
        let b = NegBinomial2::lpmf(&[n], &[eta.exp(), al], &mut d).unwrap();
        same("neg_binomial_2_log vs neg_binomial_2", (a, da.to_vec()), (b, vec![d[0] * eta.exp(), d[1]]), 2);
    }
}

fn eval<D: Cdf>(ev: usize, x: f64, p: &[f64], d: &mut [f64]) -> f64 {
    match ev {
        0 => D::lpdf(x, p, d),
        1 => D::lcdf(x, p, d),
        _ => D::lccdf(x, p, d),
    }
    .unwrap()
}

// ---------------------------------------------------------------- rng

const N: usize = 20_000;

fn check_draws<D: Cdf>(p: &[f64], mean: Option<f64>, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let xs: Vec<f64> = (0..N).map(|_| D::rng(&mut rng, p)).collect();
    assert!(xs.iter().all(|x| x.is_finite()), "{}: non-finite draw", D::NAME);
    let n = N as f64;
    if let Some(m) = mean {
        let xm = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - xm) * (x - xm)).sum::<f64>() / (n - 1.0)).sqrt();
        assert!((xm - m).abs() <= 5.0 * sd / n.sqrt(), "{}{p:?}: mean {xm} vs {m} (se {})", D::NAME, sd / n.sqrt());
    }
    let mut sorted = xs.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    for q in [0.1, 0.5, 0.9] {
        let x = sorted[(q * n) as usize];
        let mut d = [0.0; 8];
        let f = D::lcdf(x, p, &mut d).unwrap().exp();
        let frac = xs.iter().filter(|&&v| v <= x).count() as f64 / n;
        let se = (f * (1.0 - f) / n).sqrt();
        assert!((frac - f).abs() <= 5.0 * se, "{}{p:?}: P(X ≤ {x}) = {f} but {frac} of the draws", D::NAME);
    }
}

fn gamma_fn(x: f64) -> f64 {
    lgamma_f64(x).exp()
}

#[test]
fn generators_have_the_right_mean_and_distribution() {
    let (xi, om, al) = (0.5, 1.5, -2.0);
    let delta = al / (1.0f64 + al * al).sqrt();
    check_draws::<SkewNormal>(&[xi, om, al], Some(xi + om * delta * (2.0 / std::f64::consts::PI).sqrt()), 1);
    check_draws::<ExpModNormal>(&[1.0, 0.7, 2.5], Some(1.0 + 1.0 / 2.5), 2);
    check_draws::<InvChiSquare>(&[6.0], Some(1.0 / 4.0), 3);
    check_draws::<ScaledInvChiSquare>(&[7.0, 1.3], Some(7.0 * 1.69 / 5.0), 4);
    check_draws::<Rayleigh>(&[2.0], Some(2.0 * (std::f64::consts::PI / 2.0).sqrt()), 5);
    check_draws::<Pareto>(&[1.5, 4.0], Some(4.0 * 1.5 / 3.0), 6);
    check_draws::<ParetoType2>(&[-1.0, 2.0, 4.5], Some(-1.0 + 2.0 / 3.5), 7);
    check_draws::<Frechet>(&[4.0, 2.0], Some(2.0 * gamma_fn(1.0 - 0.25)), 8);
    check_draws::<BetaProportion>(&[0.3, 6.0], Some(0.3), 9);
    let (mu, s, t) = (0.5, 1.2, 0.25);
    check_draws::<SkewDoubleExponential>(&[mu, s, t], Some(mu + s * (1.0 - 2.0 * t) / (2.0 * t * (1.0 - t))), 10);
    for (p, m, seed) in [([3.0, 0.5], 6.0, 11u64), ([0.8, 2.0], 0.4, 12)] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..N).map(|_| NegBinomial::rng(&mut rng, &[], &p) as f64).collect();
        mean_within("neg_binomial", &xs, m);
    }
    for (p, seed) in [([1.2f64, 2.0], 13u64), ([-0.5, 0.7], 14)] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..N).map(|_| NegBinomial2Log::rng(&mut rng, &[], &p) as f64).collect();
        mean_within("neg_binomial_2_log", &xs, p[0].exp());
    }
    // invalid parameters: NaN / −1, never a panic
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    assert!(SkewNormal::rng(&mut rng, &[0.0, -1.0, 0.0]).is_nan());
    assert!(Pareto::rng(&mut rng, &[0.0, 1.0]).is_nan());
    assert!(SkewDoubleExponential::rng(&mut rng, &[0.0, 1.0, 1.5]).is_nan());
    assert_eq!(NegBinomial::rng(&mut rng, &[], &[f64::NAN, 1.0]), -1);
    assert_eq!(NegBinomial2Log::rng(&mut rng, &[], &[1000.0, 1.0]), -1);
}

fn mean_within(name: &str, xs: &[f64], m: f64) {
    assert!(xs.iter().all(|&x| x >= 0.0), "{name}: negative draw");
    let n = xs.len() as f64;
    let xm = xs.iter().sum::<f64>() / n;
    let sd = (xs.iter().map(|x| (x - xm) * (x - xm)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((xm - m).abs() <= 5.0 * sd / n.sqrt(), "{name}: mean {xm} vs {m}");
}

// ---------------------------------------------------------------- bad input

/// Each `(index, bad value)` must be rejected by lpdf, lcdf and lccdf with an
/// error naming the distribution and the parameter.
fn reject<D: Cdf>(good: &[f64], x: f64, bad: &[(usize, f64)]) {
    let mut d = [0.0; 8];
    for &(k, v) in bad {
        let mut p = good.to_vec();
        p[k] = v;
        for r in [D::lpdf(x, &p, &mut d), D::lcdf(x, &p, &mut d), D::lccdf(x, &p, &mut d)] {
            let e = r.expect_err(&format!("{} {}={v} accepted", D::NAME, D::PARAMS[k]));
            assert_eq!((e.dist, e.arg), (D::NAME, D::PARAMS[k]), "{e}");
            assert!(e.to_string().contains(D::PARAMS[k]), "{e}");
        }
    }
    // NaN variate: an error naming x; no panic on extreme variates
    assert_eq!(D::lpdf(f64::NAN, good, &mut d).unwrap_err().arg, "x");
    for xe in [f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300, 0.0, 1e-300] {
        let v = D::lpdf(xe, good, &mut d).unwrap();
        assert!(!v.is_nan() && v < f64::INFINITY, "{} lpdf at {xe}: {v}", D::NAME);
        for v in [D::lcdf(xe, good, &mut d), D::lccdf(xe, good, &mut d)] {
            let v = v.unwrap();
            assert!(!v.is_nan() && v <= 1e-12, "{} log cdf at {xe}: {v}", D::NAME);
        }
    }
}

#[test]
fn bad_arguments_name_the_argument() {
    const NAN: f64 = f64::NAN;
    const INF: f64 = f64::INFINITY;
    reject::<SkewNormal>(&[0.0, 1.0, 1.0], 0.5, &[(0, NAN), (0, INF), (1, 0.0), (1, -1.0), (1, NAN), (2, NAN), (2, INF)]);
    reject::<ExpModNormal>(&[0.0, 1.0, 1.0], 0.5, &[(0, NAN), (1, 0.0), (1, INF), (2, -1.0), (2, NAN)]);
    reject::<InvChiSquare>(&[3.0], 0.5, &[(0, 0.0), (0, -2.0), (0, NAN), (0, INF)]);
    reject::<ScaledInvChiSquare>(&[3.0, 1.0], 0.5, &[(0, 0.0), (0, NAN), (1, -1.0), (1, INF)]);
    reject::<Rayleigh>(&[1.0], 0.5, &[(0, 0.0), (0, -1.0), (0, NAN), (0, INF)]);
    reject::<Pareto>(&[1.0, 2.0], 1.5, &[(0, 0.0), (0, -1.0), (0, NAN), (1, 0.0), (1, INF)]);
    reject::<ParetoType2>(&[0.0, 1.0, 2.0], 1.5, &[(0, NAN), (0, INF), (1, 0.0), (2, -1.0), (2, NAN)]);
    reject::<Frechet>(&[2.0, 1.0], 1.5, &[(0, 0.0), (0, NAN), (1, -1.0), (1, INF)]);
    reject::<BetaProportion>(&[0.4, 3.0], 0.5, &[(0, 0.0), (0, 1.0), (0, 1.5), (0, NAN), (1, 0.0), (1, INF)]);
    reject::<SkewDoubleExponential>(&[0.0, 1.0, 0.3], 0.5, &[(0, NAN), (1, 0.0), (1, INF), (2, 0.0), (2, 1.0), (2, -0.5), (2, NAN)]);
    let mut d = [0.0; 2];
    for (k, v) in [(0, 0.0), (0, NAN), (1, -1.0), (1, INF)] {
        let mut p = [2.0, 1.0];
        p[k] = v;
        for r in [NegBinomial::lpmf(&[3], &p, &mut d), NegBinomial::lcdf(&[3], &p, &mut d), NegBinomial::lccdf(&[3], &p, &mut d)] {
            assert_eq!(r.unwrap_err().arg, ["alpha", "beta"][k]);
        }
    }
    for (k, v) in [(0, NAN), (0, INF), (1, 0.0), (1, NAN)] {
        let mut p = [0.5, 1.0];
        p[k] = v;
        assert_eq!(NegBinomial2Log::lpmf(&[3], &p, &mut d).unwrap_err().arg, ["eta", "phi"][k]);
    }
    assert_eq!(NegBinomial::check_ints(&[-1]).unwrap_err().arg, "n");
    assert_eq!(NegBinomial2Log::check_ints(&[-2]).unwrap_err().arg, "n");
}

#[test]
fn owens_t_and_polygamma_identities() {
    // T(h, a) + T(ah, 1/a) = ½[Φ(h) + Φ(ah)] − Φ(h)Φ(ah) for h ≥ 0, a > 0
    use exmc_math::special::phi;
    for &(h, a) in &[(0.5, 0.3), (1.2, 2.0), (3.0, 0.8), (0.1, 5.0)] {
        let lhs = owens_t_f64(h, a) + owens_t_f64(a * h, 1.0 / a);
        let (p1, p2): (f64, f64) = (phi(h), phi(a * h));
        let rhs = 0.5 * (p1 + p2) - p1 * p2;
        assert!((lhs - rhs).abs() < 1e-14, "({h}, {a}): {lhs} vs {rhs}");
    }
    // tetragamma is the derivative of trigamma
    for &x in &[0.3, 1.7, 9.9, 10.1, 42.0, -1.5] {
        let num = fd(trigamma_f64, x);
        let an = tetragamma_f64(x);
        assert!((an - num).abs() <= 1e-6 * an.abs().max(1.0), "ψ''({x}) = {an} vs fd {num}");
    }
}

#[test]
fn skew_normal_light_tail_against_a_closed_form() {
    // α = 1: F(z) = Φ(z)², so log F = 2 log Φ(z) however far in the tail
    // (where Φ(z) − 2T(z, 1) cancels to nothing); and the CCDF of α = −1.
    use exmc_math::special::log_phi_ratio_f64;
    let mut d = [0.0; 4];
    for z in [-2.0, -5.0, -9.0, -20.0, -35.0] {
        let want = 2.0 * log_phi_ratio_f64(z).0;
        let got = SkewNormal::lcdf(z, &[0.0, 1.0, 1.0], &mut d).unwrap();
        assert!((got - want).abs() <= 1e-9 * want.abs(), "z={z}: {got} vs {want}");
        // ∂/∂z = p(z)/F = 2φ(z)Φ(z)/Φ(z)² = 2φ(z)/Φ(z)
        let r = 2.0 * log_phi_ratio_f64(z).1;
        assert!((d[0] - r).abs() <= 1e-9 * r, "z={z}: ∂x {} vs {r}", d[0]);
        let got = SkewNormal::lccdf(-z, &[0.0, 1.0, -1.0], &mut d).unwrap();
        assert!((got - want).abs() <= 1e-9 * want.abs(), "ccdf z={z}: {got} vs {want}");
    }
    // Steeper shapes, against the integral of the density (scaled by its value at z).
    for (z, al) in [(-0.5, 10.0), (-4.0, 3.0), (-1.5, 25.0)] {
        let p = [0.0, 1.0, al];
        let l0 = SkewNormal::lpdf(z, &p, &mut [0.0; 4]).unwrap();
        let s = 1.0 / (1.0 + al * al);
        let int = tanh_sinh(|t| {
            let x = z - s * (1.0 + t) / (1.0 - t);
            (SkewNormal::lpdf(x, &p, &mut [0.0; 4]).unwrap() - l0).exp() * 2.0 * s / ((1.0 - t) * (1.0 - t))
        });
        let want = l0 + int.ln();
        let got = SkewNormal::lcdf(z, &p, &mut d).unwrap();
        assert!((got - want).abs() <= 1e-9 * want.abs(), "skew_normal(0, 1, {al}) lcdf at {z}: {got} vs {want}");
    }
}
