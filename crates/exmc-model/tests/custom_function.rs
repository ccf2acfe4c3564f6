//! The user-supplied vector function node: value, gradient against finite
//! differences, f32, errors, and graph passes that must keep two different
//! functions apart.

use exmc_core::{LogDensity, LogpError};
use exmc_model::dist::*;
use exmc_model::{custom_function, dot, CustomFunction, Expr, Model};
use std::sync::Arc;

/// `f(a, b) = [a₀ b, sin a₁, a₀ + a₁ + a₂ b]` scaled by `k`; an error when `b < −5`.
struct Poly(f64);
impl CustomFunction for Poly {
    fn name(&self) -> &str {
        "poly"
    }
    fn out_len(&self) -> usize {
        3
    }
    fn eval(&self, x: &[f64], out: &mut [f64], jac: Option<&mut [f64]>) -> Result<(), LogpError> {
        let k = self.0;
        let (a, b) = (&x[..3], x[3]);
        if b < -5.0 {
            return Err(LogpError::recoverable("poly: b below -5"));
        }
        out.copy_from_slice(&[k * a[0] * b, k * a[1].sin(), k * (a[0] + a[1] + a[2] * b)]);
        if let Some(j) = jac {
            #[rustfmt::skip]
            j.copy_from_slice(&[
                k * b, 0.0, 0.0, k * a[0],
                0.0, k * a[1].cos(), 0.0, 0.0,
                k, k, k * b, k * a[2],
            ]);
        }
        Ok(())
    }
}

fn model(f: Arc<dyn CustomFunction>, g: Option<Arc<dyn CustomFunction>>) -> Model {
    let mut m = Model::new();
    let a = m.param_vector("a", 3, normal(0.0, 1.0)).unwrap();
    let b = m.param("b", lognormal(0.0, 1.0)).unwrap();
    let y = custom_function(f, &[a.clone(), b.clone()]);
    m.observe("obs", normal(&y, 0.5), vec![0.3, -0.2, 1.1]).unwrap();
    if let Some(g) = g {
        let z = custom_function(g, &[a.clone(), b.clone()]);
        m.factor("extra", dot(&z, &Expr::vector(vec![1.0, 2.0, -1.0]))).unwrap();
    }
    m.deterministic("f_value", &y).unwrap();
    m
}

fn fd_check(m: &Model, x: &[f64]) -> f64 {
    let c = m.compile().unwrap();
    let mut d = c.density::<f64>();
    let mut g = vec![0.0; x.len()];
    let lp = d.logp_grad(x, &mut g).unwrap();
    for i in 0..x.len() {
        let h = 1e-6;
        let (mut u, mut l) = (x.to_vec(), x.to_vec());
        u[i] += h;
        l[i] -= h;
        let fd = (d.logp(&u).unwrap() - d.logp(&l).unwrap()) / (2.0 * h);
        assert!((g[i] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "coordinate {i}: {} vs {fd}", g[i]);
    }
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let mut g32 = vec![0.0f32; x.len()];
    let lp32 = c.density::<f32>().logp_grad(&x32, &mut g32).unwrap() as f64;
    assert!((lp32 - lp).abs() <= 1e-4 * lp.abs().max(1.0), "f32 {lp32} vs {lp}");
    for (a, b) in g32.iter().zip(&g) {
        assert!((*a as f64 - b).abs() <= 1e-3 * b.abs().max(1.0), "f32 gradient {a} vs {b}");
    }
    lp
}

#[test]
fn value_and_gradient_match_the_function_and_finite_differences() {
    let m = model(Arc::new(Poly(1.0)), None);
    let x = [0.4, -0.7, 1.2, 0.3];
    let lp = fd_check(&m, &x);
    // The value: priors + Jacobian of b = exp(x₃) + normal(obs | f, 0.5).
    let b = x[3].exp();
    let f = [x[0] * b, x[1].sin(), x[0] + x[1] + x[2] * b];
    let ln = |v: f64, mu: f64, s: f64| -0.5 * ((v - mu) / s).powi(2) - s.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mut want: f64 = x[..3].iter().map(|&v| ln(v, 0.0, 1.0)).sum();
    want += ln(b.ln(), 0.0, 1.0) - b.ln() + x[3];
    want += [0.3, -0.2, 1.1].iter().zip(&f).map(|(&o, &mu)| ln(o, mu, 0.5)).sum::<f64>();
    assert!((lp - want).abs() < 1e-10, "{lp} vs {want}");
    // The deterministic output carries f.
    let c = m.compile().unwrap();
    let vals = c.density::<f64>().constrained_values(&x).unwrap();
    let got = &vals["f_value"];
    for (g, w) in got.iter().zip(&f) {
        assert!((g - w).abs() < 1e-12);
    }
}

#[test]
fn two_functions_over_the_same_arguments_stay_apart() {
    // Same arguments, different function objects: the graph passes must not
    // merge them (the gradient check would see the wrong Jacobian).
    let m = model(Arc::new(Poly(1.0)), Some(Arc::new(Poly(2.5))));
    fd_check(&m, &[0.1, 0.2, -0.3, -0.4]);
}

#[test]
fn an_error_from_the_function_is_recoverable() {
    let mut m = Model::new();
    let a = m.param_vector("a", 3, normal(0.0, 1.0)).unwrap();
    let b = m.param("b", normal(0.0, 10.0)).unwrap();
    let y = custom_function(Arc::new(Poly(1.0)), &[a, b]);
    m.factor("f", y.sum()).unwrap();
    let c = m.compile().unwrap();
    let mut d = c.density::<f64>();
    let mut g = [0.0; 4];
    let e = d.logp_grad(&[0.0, 0.0, 0.0, -6.0], &mut g).unwrap_err();
    assert!(e.is_recoverable() && e.message.contains("below -5"), "{e:?}");
    assert!(d.logp_grad(&[0.0, 0.0, 0.0, -4.0], &mut g).is_ok());
}

#[test]
fn data_only_arguments_fold_to_constants() {
    // With data arguments the function runs once, at compile time; a data
    // argument mixed with parameters receives no gradient.
    let mut m = Model::new();
    let b = m.param("b", normal(0.0, 1.0)).unwrap();
    let folded = custom_function(Arc::new(Poly(1.0)), &[Expr::vector(vec![1.0, 0.5, 2.0]), Expr::scalar(3.0)]);
    let mixed = custom_function(Arc::new(Poly(1.0)), &[Expr::vector(vec![1.0, 0.5, 2.0]), b.clone()]);
    m.factor("f", folded.sum() + mixed.sum()).unwrap();
    let c = m.compile().unwrap();
    let mut d = c.density::<f64>();
    let mut g = [0.0];
    let lp = d.logp_grad(&[0.7], &mut g).unwrap();
    let want = |b: f64| (3.0 + 0.5f64.sin() + 1.5 + 6.0) + (b + 0.5f64.sin() + 1.5 + 2.0 * b) - 0.5 * b * b - 0.5 * (2.0 * std::f64::consts::PI).ln();
    assert!((lp - want(0.7)).abs() < 1e-12, "{lp} vs {}", want(0.7));
    assert!((g[0] - (3.0 - 0.7)).abs() < 1e-12, "{}", g[0]);
}

#[test]
fn output_jacobian_matches_finite_differences() {
    // out = [a₀ b, exp(a₁) + b², Σ a] over unconstrained a (3) and b.
    let mut m = Model::new();
    let a = m.param_with("a", exmc_model::Shape::Vector(3), None, exmc_model::Constraint::Real).unwrap();
    let b = m.param_with("b", exmc_model::Shape::Scalar, None, exmc_model::Constraint::Real).unwrap();
    let out = exmc_model::concat(&[a.at(0) * &b, a.at(1).exp() + b.square(), a.sum()]);
    m.deterministic("out", out).unwrap();
    let c = m.compile().unwrap();
    let idx = c.outputs().iter().position(|o| o.name == "out").unwrap();
    let mut d = c.density::<f64>();
    let x = [0.3, -0.4, 1.1, 0.7];
    let (mut v, mut j) = ([0.0; 3], [0.0; 12]);
    d.output_jacobian(&x, idx, &mut v, Some(&mut j)).unwrap();
    let f = |x: &[f64]| [x[0] * x[3], x[1].exp() + x[3] * x[3], x[0] + x[1] + x[2]];
    assert_eq!(v, f(&x));
    for col in 0..4 {
        let (mut u, mut l) = (x, x);
        u[col] += 1e-6;
        l[col] -= 1e-6;
        for row in 0..3 {
            let fd = (f(&u)[row] - f(&l)[row]) / 2e-6;
            assert!((j[row * 4 + col] - fd).abs() < 1e-8, "J[{row},{col}] = {} vs {fd}", j[row * 4 + col]);
        }
    }
    // A constrained parameter is refused rather than given a wrong Jacobian.
    let mut m = Model::new();
    let s = m.param("s", lognormal(0.0, 1.0)).unwrap();
    m.deterministic("twice", &s * 2.0).unwrap();
    let c = m.compile().unwrap();
    let idx = c.outputs().iter().position(|o| o.name == "twice").unwrap();
    let e = c.density::<f64>().output_jacobian(&[0.1], idx, &mut [0.0], Some(&mut [0.0])).unwrap_err();
    assert!(e.message.contains("unconstrained"), "{e:?}");
}
