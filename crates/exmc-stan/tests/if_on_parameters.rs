//! `if` statements whose condition depends on parameters: both branches are
//! traced and merged with selects. Each program is checked against the same
//! density written by hand (value and gradient), on both sides of the
//! condition.

use exmc_core::LogDensity;
use exmc_stan::StanModel;

fn build(src: &str, data: serde_json::Value) -> StanModel {
    StanModel::build(src, "m.stan", &data).unwrap_or_else(|d| panic!("{}", exmc_stan::render_diagnostics(&d, "m.stan", src)))
}

fn build_err(src: &str) -> String {
    match StanModel::build(src, "m.stan", &serde_json::json!({})) {
        Ok(_) => panic!("must not lower: {src}"),
        Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", src),
    }
}

fn logp_grad(m: &StanModel, x: &[f64]) -> Result<(f64, Vec<f64>), String> {
    let mut g = vec![0.0; x.len()];
    let lp = m.compiled.density::<f64>().logp_grad(x, &mut g).map_err(|e| format!("{e:?}"))?;
    Ok((lp, g))
}

/// `ours` and `reference` agree in value (up to `shift`) and gradient at each point.
fn assert_same(ours: &StanModel, reference: &StanModel, points: &[Vec<f64>]) {
    for x in points {
        let (a, ga) = logp_grad(ours, x).unwrap();
        let (b, gb) = logp_grad(reference, x).unwrap();
        assert!((a - b).abs() < 1e-12 * (1.0 + b.abs()), "at {x:?}: {a} vs {b}");
        for (p, q) in ga.iter().zip(&gb) {
            assert!((p - q).abs() < 1e-12 * (1.0 + q.abs()), "gradient at {x:?}: {ga:?} vs {gb:?}");
        }
    }
}

#[test]
fn tilde_statements_in_both_branches() {
    let ours = build(
        "parameters { real mu; } model { if (mu > 0) mu ~ normal(1, 1); else { mu ~ normal(-1, 2); } }",
        serde_json::json!({}),
    );
    let reference = build(
        "parameters { real mu; } model { target += mu > 0 ? normal_lpdf(mu | 1, 1) : normal_lpdf(mu | -1, 2); }",
        serde_json::json!({}),
    );
    assert_same(&ours, &reference, &[vec![0.7], vec![-0.4], vec![3.0]]);
}

#[test]
fn assignments_in_branches_and_else_if_chains() {
    // A piecewise function built by assignment: |x| for |x| < 1, else x².
    let ours = build(
        "parameters { real x; } model {
           real s;
           if (x > 1) s = square(x);
           else if (x < -1) s = square(x);
           else if (x > 0) s = x;
           else s = -x;
           target += -s;
         }",
        serde_json::json!({}),
    );
    let reference = build(
        "parameters { real x; } model { target += -(fabs(x) > 1 ? square(x) : fabs(x)); }",
        serde_json::json!({}),
    );
    assert_same(&ours, &reference, &[vec![1.5], vec![-2.0], vec![0.3], vec![-0.6]]);
}

#[test]
fn an_if_per_element_inside_a_loop() {
    let data = serde_json::json!({"N": 4, "y": [-1.0, 0.5, 2.0, 3.0]});
    let ours = build(
        "data { int N; vector[N] y; } parameters { real c; } model {
           vector[N] r;
           for (n in 1:N) {
             if (y[n] > c) r[n] = y[n] - c;
             else r[n] = 2 * (c - y[n]);
           }
           target += -dot_self(r);
           c ~ normal(0, 5);
         }",
        data.clone(),
    );
    let reference = build(
        "data { int N; vector[N] y; } parameters { real c; } model {
           vector[N] r;
           for (n in 1:N) r[n] = y[n] > c ? y[n] - c : 2 * (c - y[n]);
           target += -dot_self(r);
           c ~ normal(0, 5);
         }",
        data,
    );
    assert_same(&ours, &reference, &[vec![0.0], vec![1.0], vec![2.5], vec![-3.0]]);
}

#[test]
fn return_in_both_branches_of_a_user_function() {
    let ours = build(
        "functions { real soft(real v) { if (v > 0) return v; else return expm1(v); } }
         parameters { real x; } model { target += -square(soft(x)); }",
        serde_json::json!({}),
    );
    let reference = build(
        "parameters { real x; } model { target += -square(x > 0 ? x : expm1(x)); }",
        serde_json::json!({}),
    );
    assert_same(&ours, &reference, &[vec![0.4], vec![-0.9]]);
}

#[test]
fn reject_in_a_branch_rejects_only_when_taken() {
    let m = build(
        "parameters { real x; } model { if (x < -3) reject(\"x too small: \", x); x ~ normal(0, 1); }",
        serde_json::json!({}),
    );
    let reference = build("parameters { real x; } model { x ~ normal(0, 1); }", serde_json::json!({}));
    assert_same(&m, &reference, &[vec![0.5], vec![-2.9]]);
    let e = logp_grad(&m, &[-4.0]).unwrap_err();
    assert!(e.contains("Recoverable") || e.contains("recoverable"), "{e}");
}

#[test]
fn nested_conditions_and_target_inside_a_branch() {
    let ours = build(
        "parameters { real x; real y; } model {
           x ~ normal(0, 1);
           if (x > 0) {
             if (y > x) y ~ normal(x, 1); else y ~ normal(0, 3);
             target += 0.5 * target();
           }
           y ~ normal(0, 10);
         }",
        serde_json::json!({}),
    );
    let reference = build(
        "parameters { real x; real y; } model {
           real a = normal_lpdf(x | 0, 1);
           real b = y > x ? normal_lpdf(y | x, 1) : normal_lpdf(y | 0, 3);
           target += x > 0 ? a + 1.5 * b + 0.5 * a : a;
           y ~ normal(0, 10);
         }",
        serde_json::json!({}),
    );
    assert_same(&ours, &reference, &[vec![0.5, 1.0], vec![0.5, 0.2], vec![-0.5, 1.0], vec![-0.5, -2.0]]);
}

#[test]
fn unsupported_forms_are_clear_errors() {
    let e = build_err("parameters { real x; } model { for (i in 1:3) { if (x > i) break; } x ~ normal(0, 1); }");
    assert!(e.contains("'break' or 'continue' inside an 'if' whose condition depends on parameters"), "{e}");
    let e = build_err(
        "functions { real f(real v) { if (v > 0) return v; return -v; } } parameters { real x; } model { target += f(x); }",
    );
    assert!(e.contains("'return' in only one branch"), "{e}");
    let e = build_err("parameters { real x; } model { int k = 0; if (x > 0) k = 1; x ~ normal(k, 1); }");
    assert!(e.contains("'k' is an integer set differently by the branches"), "{e}");
}
