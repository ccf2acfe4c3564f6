//! ODE solver calls in Stan programs: the Lotka–Volterra and
//! one-compartment programs of models/posteriordb build, their gradients
//! match finite differences, the solution matches an independent
//! integration, generated quantities run, and bad calls are clear errors.

use exmc_core::LogDensity;
use exmc_stan::StanModel;

fn root(rel: &str) -> String {
    format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn build(program: &str, data: &str) -> StanModel {
    let src = std::fs::read_to_string(root(program)).unwrap();
    let json = std::fs::read_to_string(root(data)).unwrap();
    StanModel::build_from_text(&src, program, &json, data).unwrap_or_else(|e| panic!("{}", e.render(program, &src, data)))
}

fn build_src(src: &str, data: serde_json::Value) -> Result<StanModel, String> {
    StanModel::build(src, "t.stan", &data).map_err(|d| {
        d.iter()
            .map(|d| {
                let (l, c) = d.line_col(src);
                format!("{l}:{c}: {}", d.message)
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Central finite differences of the log density.
fn check_gradient(m: &StanModel, x: &[f64], rel: f64) {
    let mut d = m.compiled.density::<f64>();
    let mut g = vec![0.0; x.len()];
    d.logp_grad(x, &mut g).unwrap();
    for i in 0..x.len() {
        let h = 1e-5;
        let (mut u, mut l) = (x.to_vec(), x.to_vec());
        u[i] += h;
        l[i] -= h;
        let fd = (d.logp(&u).unwrap() - d.logp(&l).unwrap()) / (2.0 * h);
        assert!((g[i] - fd).abs() <= rel * fd.abs().max(1.0), "coordinate {i}: analytic {}, numeric {fd}", g[i]);
    }
}

const LV: &str = "models/posteriordb/hudson_lynx_hare-lotka_volterra.stan";
const LV_DATA: &str = "../shared/posteriordb/hudson_lynx_hare-lotka_volterra/data.json";
const PK: &str = "models/posteriordb/one_comp_mm_elim_abs-one_comp_mm_elim_abs.stan";
const PK_DATA: &str = "../shared/posteriordb/one_comp_mm_elim_abs-one_comp_mm_elim_abs/data.json";

#[test]
fn lotka_volterra_gradient_matches_finite_differences() {
    let m = build(LV, LV_DATA);
    assert_eq!(m.compiled.dim(), 8);
    // theta ≈ (0.55, 0.028, 0.80, 0.024), z_init ≈ (33, 6), sigma ≈ 0.25 (log scale).
    let x = [0.55f64.ln(), 0.028f64.ln(), 0.8f64.ln(), 0.024f64.ln(), 33f64.ln(), 6f64.ln(), 0.25f64.ln(), 0.25f64.ln()];
    check_gradient(&m, &x, 2e-4);
    let x2: Vec<f64> = x.iter().map(|v| v + 0.1).collect();
    check_gradient(&m, &x2, 2e-4);
}

#[test]
fn lotka_volterra_solution_and_generated_quantities() {
    let m = build(LV, LV_DATA);
    let th: [f64; 4] = [0.55, 0.028, 0.8, 0.024];
    let z0: [f64; 2] = [33.0, 6.0];
    let x = [th[0].ln(), th[1].ln(), th[2].ln(), th[3].ln(), z0[0].ln(), z0[1].ln(), -1.0, -1.0];
    let mut out = Vec::new();
    m.outputs(3, 0).unwrap().row(&x, &mut out).unwrap();
    // z[n, k] columns: theta(4) z_init(2) sigma(2), then z column-major.
    let zpos = m.output_names.iter().position(|n| n == "z[1,1]").unwrap();
    // An independent fixed-step RK4 with a tiny step.
    let f = |u: f64, v: f64| ((th[0] - th[1] * v) * u, (-th[2] + th[3] * u) * v);
    let (mut u, mut v) = (z0[0], z0[1]);
    let h = 1e-4;
    for n in 1..=20 {
        for _ in 0..10_000 {
            let (a1, b1) = f(u, v);
            let (a2, b2) = f(u + 0.5 * h * a1, v + 0.5 * h * b1);
            let (a3, b3) = f(u + 0.5 * h * a2, v + 0.5 * h * b2);
            let (a4, b4) = f(u + h * a3, v + h * b3);
            u += h / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4);
            v += h / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4);
        }
        let (zu, zv) = (out[zpos + n - 1], out[zpos + 20 + n - 1]);
        // rtol 1e-5, atol 1e-3 over 20 time units.
        assert!((zu - u).abs() < 1e-3 * u.max(1.0) && (zv - v).abs() < 1e-3 * v.max(1.0), "t = {n}: ({zu}, {zv}) vs ({u}, {v})");
    }
    let rep = m.output_names.iter().position(|n| n == "y_rep[1,1]").unwrap();
    assert!(out[rep..rep + 40].iter().all(|v| v.is_finite() && *v > 0.0));
}

#[test]
fn one_compartment_gradient_and_f32() {
    // The program asks for the stiff solver, which exmc refuses clearly;
    // the same program with the rk45 solver builds.
    let src = std::fs::read_to_string(root(PK)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root(PK_DATA)).unwrap()).unwrap();
    let e = match StanModel::build(&src, PK, &json) {
        Ok(_) => panic!("bdf must be refused"),
        Err(d) => exmc_stan::render_diagnostics(&d, PK, &src),
    };
    assert!(e.contains("`ode_bdf_tol` is not supported") && e.contains("stiff (BDF)") && e.contains("rk45"), "{e}");
    let m = build_src(&src.replace("ode_bdf_tol", "ode_rk45_tol"), json).unwrap();
    assert_eq!(m.compiled.dim(), 4);
    let x = [0.3f64.ln(), 1.0f64.ln(), 1.5f64.ln(), 0.2f64.ln()];
    check_gradient(&m, &x, 1e-5);
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let mut g32 = vec![0.0f32; 4];
    let lp32 = m.compiled.density::<f32>().logp_grad(&x32, &mut g32).unwrap();
    let lp = m.compiled.density::<f64>().logp(&x).unwrap();
    assert!((lp32 as f64 - lp).abs() < 1e-3 * lp.abs().max(1.0), "{lp32} vs {lp}");
}

const SMALL: &str = r#"
functions {
  vector decay(real t, vector y, real k, vector c) {
    return -k * y + c;
  }
}
data { int T; array[T] real ts; }
parameters { real<lower=0> k; vector[2] y0; }
transformed parameters {
  array[T] vector[2] y = ode_rk45_tol(decay, y0, 0.0, ts, 1e-9, 1e-9, 100000, k, [0.5, -0.25]');
}
model {
  k ~ lognormal(0, 1);
  y0 ~ normal(1, 1);
  for (t in 1:T) target += -0.5 * dot_self(y[t] - 1);
}
generated quantities {
  array[T] vector[2] y_gq = ode_rk45(decay, [1, 2]', 0.0, ts, 0.5, [0.0, 0.0]');
}
"#;

#[test]
fn variadic_ode_matches_the_closed_form() {
    let m = build_src(SMALL, serde_json::json!({"T": 3, "ts": [0.5, 1.0, 2.0]})).unwrap();
    let x = [0.4f64.ln(), 1.5, -0.5];
    check_gradient(&m, &x, 1e-6);
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&x, &mut out).unwrap();
    // y(t) = c/k + (y0 - c/k) e^{-kt}; outputs: k, y0[2], y[3][2] (column-major), y_gq.
    let (k, c) = (0.4, [0.5, -0.25]);
    for (n, t) in [0.5f64, 1.0, 2.0].iter().enumerate() {
        for i in 0..2 {
            let want = c[i] / k + (x[1 + i] - c[i] / k) * (-k * t).exp();
            let got = out[3 + n + 3 * i];
            assert!((got - want).abs() < 1e-7, "y[{n}][{i}] = {got} vs {want}");
            let want_gq = [1.0, 2.0][i] * (-0.5 * t).exp();
            let got_gq = out[9 + n + 3 * i];
            assert!((got_gq - want_gq).abs() < 1e-5, "y_gq[{n}][{i}] = {got_gq} vs {want_gq}");
        }
    }
}

#[test]
fn bad_ode_calls_are_clear_errors() {
    let data = serde_json::json!({"T": 3, "ts": [0.5, 1.0, 2.0]});
    let wrong_len = SMALL.replace("return -k * y + c;", "return append_row(-k * y + c, [1]');");
    let e = build_src(&wrong_len, data.clone()).err().expect("an error");
    assert!(e.contains("'decay' returned 3 values but the state has 2"), "{e}");
    let unsorted = build_src(SMALL, serde_json::json!({"T": 3, "ts": [0.5, 2.0, 1.0]})).err().expect("an error");
    assert!(unsorted.contains("sorted"), "{unsorted}");
    let before = build_src(SMALL, serde_json::json!({"T": 3, "ts": [0.0, 1.0, 2.0]})).err().expect("an error");
    assert!(before.contains("greater than the initial time"), "{before}");
    let param_time = SMALL.replace("y0, 0.0, ts, 1e-9", "y0, k, ts, 1e-9");
    let e = build_src(&param_time, data.clone()).err().expect("an error");
    assert!(e.contains("initial time depends on parameters"), "{e}");
    // An `if` on the time traces both branches; a `return` in only one of them is refused.
    let branch = SMALL.replace("return -k * y + c;", "if (t > 1) return -k * y; return -k * y + c;");
    let e = build_src(&branch, data.clone()).err().expect("an error");
    assert!(e.contains("'return' in only one branch"), "{e}");
    let both = SMALL.replace("return -k * y + c;", "if (t > 100) return -k * y; else return -k * y + c;");
    let m = build_src(&both, data.clone()).unwrap();
    check_gradient(&m, &[0.4f64.ln(), 1.5, -0.5], 1e-6);
    // A solver that runs out of steps is a recoverable error at run time.
    let few = SMALL.replace("1e-9, 1e-9, 100000", "1e-9, 1e-9, 2");
    let m = build_src(&few, data).unwrap();
    let mut g = [0.0; 3];
    let err = m.compiled.density::<f64>().logp_grad(&[0.0, 1.0, 1.0], &mut g).err().expect("an error");
    assert!(err.is_recoverable() && err.message.contains("ode_rk45_tol (decay)") && err.message.contains("max_num_steps"), "{err:?}");
}
