//! Gradients of every model feature against central finite differences,
//! values against the kernels, build-time errors, and extreme inputs.

use exmc_core::LogDensity;
use exmc_model::dist::*;
use exmc_model::{
    concat, custom_density, dot, log_mix, matvec, select, CompileOptions, Compiled, Constraint, CustomDensity, Expr, Model,
    ModelError, Shape,
};
use std::sync::Arc;

/// A deterministic point in the unconstrained space.
fn point(dim: usize, scale: f64) -> Vec<f64> {
    (0..dim).map(|i| ((i as f64 + 1.0) * 0.77).sin() * scale).collect()
}

/// Checks the gradient against central differences; returns log p.
fn check_gradient(c: &Compiled, y: &[f64]) -> f64 {
    let mut d = c.density::<f64>();
    let mut g = vec![0.0; y.len()];
    let lp = d.logp_grad(y, &mut g).unwrap();
    for i in 0..y.len() {
        let h = 1e-6 * y[i].abs().max(1.0);
        let (mut a, mut b) = (y.to_vec(), y.to_vec());
        a[i] += h;
        b[i] -= h;
        let fd = (d.logp(&a).unwrap() - d.logp(&b).unwrap()) / (2.0 * h);
        assert!((g[i] - fd).abs() <= 2e-6 * fd.abs().max(1.0), "coordinate {i}: analytic {}, numeric {fd}", g[i]);
    }
    // f32 agrees with f64 at the same point.
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let mut g32 = vec![0.0f32; y.len()];
    let lp32 = c.density::<f32>().logp_grad(&y32, &mut g32).unwrap() as f64;
    assert!((lp32 - lp).abs() <= 1e-3 * lp.abs().max(1.0), "f32 {lp32} vs f64 {lp}");
    lp
}

#[test]
fn expression_primitives_have_exact_gradients() {
    let mut m = Model::new();
    let a = m.param_vector("a", 4, normal(0.0, 1.0)).unwrap();
    let b = m.param("b", normal(0.0, 1.0)).unwrap();
    let x = Expr::matrix(3, 4, (0..12).map(|i| i as f64 * 0.1 - 0.5).collect::<Vec<_>>());
    let e = (&a * &b + a.exp() / 3.0 - (&a).square()).sum()
        + a.log1p().abs().sum() * 0.1
        + (a.inv_logit() + a.log_inv_logit() + a.log1m_inv_logit() + a.softplus()).sum()
        + a.expm1().mean()
        + dot(&a, &a.sqrt().square())
        + matvec(&x, &a).log_sum_exp()
        + a.cumsum().pow(2.0).sum() * 0.01
        + concat(&[b.clone(), a.at(2), a.gather(&[0, 0, 3]).sum()]).sum()
        + a.index_by(&[1, 4, 4]).sum()
        + select(&a.binary(exmc_model::BinaryFn::Gt, 0.0), &a, &(-&a)).sum()
        + (-&b).exp()
        + ((&b).exp().inv_logit().logit());
    m.factor("f", e).unwrap();
    let c = m.compile().unwrap();
    // a must stay positive for log1p/sqrt: shift the point.
    let y: Vec<f64> = point(5, 0.5).iter().map(|v| v + 1.0).collect();
    check_gradient(&c, &y);
}

#[test]
fn every_continuous_distribution_has_exact_gradients_for_every_argument() {
    use exmc_model::dist::ContKind;
    for &kind in ContKind::ALL {
        let mut m = Model::new();
        // Parameters as random arguments (positive where needed: exp of a normal).
        let np = kind.params().len();
        let args: Vec<Expr> = (0..np)
            .map(|i| {
                let raw = m.param(&format!("p{i}"), normal(0.0, 0.3)).unwrap();
                raw.exp() + 0.5
            })
            .collect();
        let d = match kind {
            ContKind::Uniform => uniform(-10.0 + args[0].clone() * 0.0, 10.0 + args[1].clone() * 0.0),
            // parameters in (0, 1): beta_proportion's mu, skew_double_exponential's tau
            ContKind::BetaProportion => beta_proportion(Expr::scalar(1.0) / args[0].clone(), args[1].clone()),
            ContKind::SkewDoubleExponential => {
                exmc_model::dist::Dist::from_kind(kind, vec![args[0].clone(), args[1].clone(), args[2].clone() * 0.3])
            }
            _ => exmc_model::dist::Dist::from_kind(kind, args.clone()),
        };
        let xv = match kind.support() {
            exmc_math::dist::Support::Unit => vec![0.3, 0.6],
            exmc_math::dist::Support::ParamLower { .. } => vec![2.7, 3.3],
            _ => vec![0.7, 1.3],
        };
        m.observe("x", d, xv).unwrap();
        let c = m.compile_with(&CompileOptions { noncentre: false }).unwrap();
        let y = point(c.dim(), 0.4);
        check_gradient(&c, &y);
    }
}

#[test]
fn discrete_distributions_have_exact_gradients() {
    let mut m = Model::new();
    let t = m.param("t", normal(0.0, 1.0)).unwrap();
    let theta = t.inv_logit();
    let lam = t.exp();
    m.observe("b", bernoulli(&theta), vec![0i64, 1, 1]).unwrap();
    m.observe("bl", bernoulli_logit(&t), vec![0i64, 1, 1]).unwrap();
    m.observe("bi", binomial(vec![5i64, 7, 9], &theta), vec![2i64, 3, 9]).unwrap();
    m.observe("bil", binomial_logit(10i64, &t), vec![2i64, 3]).unwrap();
    m.observe("po", poisson(&lam), vec![0i64, 3, 5]).unwrap();
    m.observe("pl", poisson_log(&t), vec![0i64, 3, 5]).unwrap();
    m.observe("nb", neg_binomial_2(&lam, &lam + 1.0), vec![0i64, 3, 5]).unwrap();
    m.observe("bb", beta_binomial(6i64, &lam, &lam * 2.0), vec![0i64, 3, 6]).unwrap();
    m.observe("nbab", neg_binomial(&lam, &lam + 0.5), vec![0i64, 3, 5]).unwrap();
    m.observe("nb2l", neg_binomial_2_log(&t, &lam + 1.0), vec![0i64, 3, 5]).unwrap();
    m.observe("cat", categorical(exmc_model::concat(&[theta.clone(), 1.0 - &theta])), vec![1i64, 2, 2]).unwrap();
    m.observe("catl", categorical_logit(exmc_model::concat(&[t.clone(), Expr::scalar(0.3), t.clone() * 2.0])), vec![3i64, 1])
        .unwrap();
    let c = m.compile().unwrap();
    check_gradient(&c, &[0.4]);
}

#[test]
fn structured_parameters_and_multivariate_distributions() {
    let mut m = Model::new();
    let s = m.param_vector("s", 4, dirichlet(vec![1.5, 2.0, 3.0, 1.0])).unwrap();
    let o = m.param_with("o", Shape::Vector(3), Some(normal(0.0, 2.0)), Constraint::Ordered).unwrap();
    let po = m.param_with("po", Shape::Vector(3), Some(exponential(1.0)), Constraint::PositiveOrdered).unwrap();
    let l = m.param_matrix("L", 3, 3, lkj_corr_cholesky(2.0)).unwrap();
    let omega = m.param_matrix("Omega", 3, 3, lkj_corr(1.5)).unwrap();
    let sigma = m.param_with("Sigma", Shape::Matrix(2, 2), None, Constraint::CovMatrix).unwrap();
    let lc = m.param_with("Lc", Shape::Matrix(3, 2), None, Constraint::CholeskyFactorCov).unwrap();
    let u = m.param_with("u", Shape::Vector(3), None, Constraint::UnitVector).unwrap();
    let w = m.param_vector("w", 5, normal(0.0, 1.0)).unwrap();
    m.factor("walk", gaussian_random_walk(0.7).lpdf(&w)).unwrap();
    m.observe("mn", multi_normal(o.clone(), omega.clone()), vec![0.2, -0.1, 0.4]).unwrap();
    m.observe("mnc", multi_normal_cholesky(po.clone(), l.clone()), vec![0.5, 1.0, 2.0]).unwrap();
    m.observe("mn2", multi_normal(vec![0.0, 0.0], sigma.clone()), vec![0.3, -0.2]).unwrap();
    m.factor("use", s.log().sum() + lc.sum() + u.sum()).unwrap();
    m.factor("mix", log_mix(&s.at(0), &normal(0.0, 1.0).lpdf(o.at(0)), &normal(1.0, 2.0).lpdf(o.at(0)))).unwrap();
    let c = m.compile().unwrap();
    // simplex 3, ordered 3, positive_ordered 3, L 3, Omega 3, Sigma 3, Lc 3 + 2, u 3, w 5
    assert_eq!(c.dim(), 3 + 3 + 3 + 3 + 3 + 3 + 5 + 3 + 5);
    let y = point(c.dim(), 0.5);
    check_gradient(&c, &y);
    // Constrained values satisfy their constraints, and unconstrain inverts.
    let mut d = c.density::<f64>();
    let vals = d.constrained_values(&y).unwrap();
    assert!((vals["s"].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(vals["o"].windows(2).all(|w| w[0] < w[1]));
    assert!(vals["po"][0] > 0.0 && vals["po"].windows(2).all(|w| w[0] < w[1]));
    // (unit_vector is not a bijection, so compare on the constrained side.)
    let back = c.unconstrain(&vals).unwrap();
    let again = d.constrained_values(&back).unwrap();
    for (name, v) in &vals {
        for (a, b) in v.iter().zip(&again[name]) {
            assert!((a - b).abs() < 1e-8, "{name}: {a} vs {b}");
        }
    }
}

#[test]
fn a_parameter_bounded_below_by_a_distribution_argument() {
    // pareto(y_min, α) and pareto_type_2(μ, λ, α) live on x ≥ their first
    // argument: the default transform is a lower bound at that argument.
    let mut m = Model::new();
    let lo = m.param("lo", normal(0.0, 1.0)).unwrap();
    m.param("x", pareto(lo.exp() + 0.5, 3.0)).unwrap();
    m.param("z", pareto_type_2(&lo, 1.0, 2.0)).unwrap();
    let c = m.compile().unwrap();
    let mut d = c.density::<f64>();
    for y in [[0.3, -6.0, -6.0], [-1.0, 0.0, 2.0], [1.2, 5.0, -3.0]] {
        let vals = d.constrained_values(&y).unwrap();
        let (lo, x, z) = (vals["lo"][0], vals["x"][0], vals["z"][0]);
        assert!(x > lo.exp() + 0.5 && z > lo, "{y:?}: {vals:?}");
        let mut g = [0.0; 3];
        assert!(d.logp_grad(&y, &mut g).unwrap().is_finite());
        check_gradient(&c, &y);
    }
}

#[test]
fn truncation_and_censoring_match_the_kernels() {
    use exmc_math::dist::{Cdf, Continuous, Normal};
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 1.0)).unwrap();
    let lo = m.param("lo", normal(-2.0, 0.1)).unwrap();
    m.observe("y", normal(&mu, 1.5).truncated(Some(lo.clone()), Some(Expr::scalar(3.0))), vec![0.1, 0.9, 2.2]).unwrap();
    m.factor("left", normal(&mu, 1.5).lcdf(-1.0)).unwrap();
    m.factor("right", normal(&mu, 1.5).lccdf(vec![4.0, 5.0])).unwrap();
    m.factor("interval", normal(&mu, 1.5).interval(vec![0.5, -1.0], concat(&[Expr::scalar(1.5), lo.exp()]))).unwrap();
    let c = m.compile().unwrap();
    let y = [0.3, -1.9];
    let lp = check_gradient(&c, &y);
    let p: [f64; 2] = [0.3, 1.5];
    let mut d = [0.0f64; 3];
    let norm = (Normal::lcdf(3.0, &p, &mut d).unwrap().exp() - Normal::lcdf(-1.9, &p, &mut d).unwrap().exp()).ln();
    let mut expected = Normal::lpdf(0.3, &[0.0, 1.0], &mut d).unwrap() + Normal::lpdf(-1.9, &[-2.0, 0.1], &mut d).unwrap();
    for x in [0.1, 0.9, 2.2] {
        expected += Normal::lpdf(x, &p, &mut d).unwrap() - norm;
    }
    expected += Normal::lcdf(-1.0, &p, &mut d).unwrap();
    expected += Normal::lccdf(4.0, &p, &mut d).unwrap() + Normal::lccdf(5.0, &p, &mut d).unwrap();
    let f = |x: f64, d: &mut [f64; 3]| Normal::lcdf(x, &p, d).unwrap().exp();
    expected += (f(1.5, &mut d) - f(0.5, &mut d)).ln() + (f((-1.9f64).exp(), &mut d) - f(-1.0, &mut d)).ln();
    assert!((lp - expected).abs() < 1e-10, "{lp} vs {expected}");
}

struct Quadratic;
impl CustomDensity for Quadratic {
    fn name(&self) -> &str {
        "quadratic"
    }
    fn logp_grad(&self, args: &[f64], grad: &mut [f64]) -> Result<f64, exmc_core::LogpError> {
        let mut lp = 0.0;
        for (g, &a) in grad.iter_mut().zip(args) {
            lp -= 0.5 * a * a * 4.0;
            *g = -4.0 * a;
        }
        Ok(lp)
    }
}

#[test]
fn custom_density_node() {
    let mut m = Model::new();
    let a = m.param_vector("a", 3, normal(0.0, 1.0)).unwrap();
    let b = m.param("b", normal(0.0, 1.0)).unwrap();
    m.factor("custom", custom_density(Arc::new(Quadratic), &[a.exp(), b.clone()])).unwrap();
    let c = m.compile().unwrap();
    check_gradient(&c, &point(4, 0.3));
}

#[test]
fn build_errors_name_the_variable() {
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 1.0)).unwrap();
    assert_eq!(m.param("mu", normal(0.0, 1.0)).unwrap_err(), ModelError::DuplicateName { name: "mu".into() });
    match m.var("mux").unwrap_err() {
        ModelError::UnknownName { name, suggestion } => {
            assert_eq!(name, "mux");
            assert_eq!(suggestion.as_deref(), Some("mu"));
        }
        e => panic!("{e}"),
    }
    let v = m.param_vector("v", 3, normal(0.0, 1.0)).unwrap();
    let w = m.param_vector("w", 4, normal(0.0, 1.0)).unwrap();
    let err = m.deterministic("bad", &v + &w).unwrap_err();
    assert!(matches!(&err, ModelError::Shape { var, .. } if var == "bad"), "{err}");
    assert!(err.to_string().contains("vector[3]") && err.to_string().contains("vector[4]"), "{err}");
    let err = m.observe("y", normal(&v, 1.0), vec![1.0, 2.0]).unwrap_err();
    assert!(matches!(&err, ModelError::Shape { var, .. } if var == "y"), "{err}");
    let err = m.observe("z", normal(&mu, 1.0), vec![1.0, f64::NAN]).unwrap_err();
    assert!(matches!(&err, ModelError::NonFiniteData { var, index: 1, value } if var == "z" && value.is_nan()), "{err}");
    let err = m.observe("k", poisson(mu.exp()), vec![1i64, -2]).unwrap_err();
    assert!(matches!(&err, ModelError::InvalidData { var, .. } if var == "k"), "{err}");
    let err = m.observe("r", poisson(mu.exp()), vec![1.5]).unwrap_err();
    assert!(matches!(&err, ModelError::InvalidData { var, .. } if var == "r"), "{err}");
    let err = m.param_vector("s", 3, dirichlet(vec![1.0, 1.0])).unwrap_err();
    assert!(matches!(&err, ModelError::Shape { var, .. } if var == "s"), "{err}");
    let err = m.factor("idx", v.index_by(&[0])).unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
}

#[test]
fn extreme_unconstrained_values_never_panic_or_poison_silently() {
    let mut m = Model::new();
    let sigma = m.param("sigma", exponential(1.0)).unwrap();
    let p = m.param("p", beta(2.0, 3.0)).unwrap();
    let s = m.param_vector("s", 3, dirichlet(vec![1.0, 1.0, 1.0])).unwrap();
    m.observe("y", normal(&p, &sigma), vec![0.1, 0.2]).unwrap();
    m.factor("s_term", s.log().sum()).unwrap();
    let c = m.compile().unwrap();
    for v in [1e4, -1e4, 1e300, -1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for pos in 0..c.dim() {
            let mut y = vec![0.1; c.dim()];
            y[pos] = v;
            let mut g = vec![0.0; c.dim()];
            match c.density::<f64>().logp_grad(&y, &mut g) {
                Ok(lp) => assert!(lp.is_finite() && g.iter().all(|x| x.is_finite()), "{v} at {pos}: {lp} {g:?}"),
                Err(e) => assert!(e.is_recoverable(), "{v} at {pos}: {e}"),
            }
            let y32: Vec<f32> = y.iter().map(|&x| x as f32).collect();
            let mut g32 = vec![0.0f32; c.dim()];
            match c.density::<f32>().logp_grad(&y32, &mut g32) {
                Ok(lp) => assert!(lp.is_finite() && g32.iter().all(|x| x.is_finite())),
                Err(e) => assert!(e.is_recoverable(), "f32 {v} at {pos}: {e}"),
            }
        }
    }
}

#[test]
fn zero_scale_during_sampling_is_a_recoverable_error() {
    let mut m = Model::new();
    let s = m.param("s", normal(0.0, 1.0)).unwrap();
    // The scale s can be negative: a recoverable error, not a panic.
    m.observe("y", normal(0.0, &s), vec![0.5]).unwrap();
    let c = m.compile().unwrap();
    let mut g = [0.0];
    let e = c.density::<f64>().logp_grad(&[-1.0], &mut g).unwrap_err();
    assert!(e.is_recoverable() && e.message.contains("sigma"), "{e}");
    let e = c.density::<f64>().logp_grad(&[0.0], &mut g).unwrap_err();
    assert!(e.is_recoverable(), "{e}");
}

#[test]
fn constant_subgraphs_are_folded() {
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 1.0)).unwrap();
    let data = Expr::vector(vec![1.0, 2.0, 3.0]);
    // (data * 2).exp().sum() involves no parameter: folded into a constant.
    let folded = (&data * 2.0).exp().sum();
    m.factor("f", &mu * folded).unwrap();
    let c = m.compile().unwrap();
    let (n_logp, _) = c.instruction_count();
    // prior (1 dist + 1 target) + one multiply + one target
    assert_eq!(n_logp, 4, "data-only subgraph was not folded");
    let lp = c.density::<f64>().logp(&[0.5]).unwrap();
    let expected = -0.5 * 0.25 - 0.918_938_533_204_672_8 + 0.5 * (2f64.exp() + 4f64.exp() + 6f64.exp());
    assert!((lp - expected).abs() < 1e-9);
}

#[test]
fn student_t_with_an_exp_scale_is_rewritten_on_the_log_scale_exactly() {
    // The rewrite must not change the density or its gradient.
    let build = |rewrite_off: bool| {
        let mut m = Model::new();
        let nu = m.param("nu", exponential(0.1)).unwrap();
        let s = m.param_vector("s", 4, normal(0.0, 1.0)).unwrap();
        let scale = if rewrite_off { s.exp() * 1.0 } else { s.exp() };
        m.observe("r", student_t(&nu, 0.1, scale), vec![0.5, -1.2, 3.0, 0.01]).unwrap();
        m.compile().unwrap()
    };
    let (a, b) = (build(false), build(true));
    let y = point(5, 0.7);
    let (mut ga, mut gb) = (vec![0.0; 5], vec![0.0; 5]);
    let la = a.density::<f64>().logp_grad(&y, &mut ga).unwrap();
    let lb = b.density::<f64>().logp_grad(&y, &mut gb).unwrap();
    assert!((la - lb).abs() < 1e-12 * lb.abs().max(1.0), "{la} vs {lb}");
    for i in 0..5 {
        assert!((ga[i] - gb[i]).abs() < 1e-12 * gb[i].abs().max(1.0), "{i}: {} vs {}", ga[i], gb[i]);
    }
    // One exp instruction fewer in the rewritten program.
    assert!(a.instruction_count().0 < b.instruction_count().0);
    check_gradient(&a, &y);
}
