//! Whole-model checks: the compiled log density of every benchmark model
//! equals SciPy's log joint density (`logp_checks` in the shared specs) plus
//! the log-Jacobian of our transforms, in f64 and f32; gradients match
//! central finite differences.

use exmc::bench_models;
use exmc::{CompileOptions, LogDensity};
use serde_json::Value;
use std::collections::HashMap;

fn spec(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench-models/");
    let text = std::fs::read_to_string(format!("{path}{name}.json")).expect("shared bench-models spec");
    serde_json::from_str(&text).unwrap()
}

fn point_values(point: &Value) -> HashMap<String, Vec<f64>> {
    point
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let vals = match v {
                Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
                x => vec![x.as_f64().unwrap()],
            };
            (k.clone(), vals)
        })
        .collect()
}

/// `Σ log x` over the positive (lower-bound 0) parameters: the log-Jacobian
/// of `x = exp(y)`.
fn log_jacobian(spec: &Value, values: &HashMap<String, Vec<f64>>) -> f64 {
    spec["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["constraint"] == "positive")
        .map(|p| values[p["name"].as_str().unwrap()].iter().map(|x| x.ln()).sum::<f64>())
        .sum()
}

#[test]
fn log_density_matches_scipy_in_f64_and_f32() {
    let centred = CompileOptions { noncentre: false };
    for name in bench_models::NAMES {
        let spec = spec(name);
        let model = bench_models::build(name, &spec["data"]).unwrap();
        let compiled = model.compile_with(&centred).unwrap();
        assert_eq!(compiled.dim(), spec["dimension"].as_u64().unwrap() as usize, "{name}: dimension");
        for check in spec["logp_checks"].as_array().unwrap() {
            let values = point_values(&check["point"]);
            let expected = check["logp"].as_f64().unwrap() + log_jacobian(&spec, &values);
            let y = compiled.unconstrain(&values).unwrap();
            let mut grad = vec![0.0; y.len()];
            let lp = compiled.density::<f64>().logp_grad(&y, &mut grad).unwrap();
            assert!((lp - expected).abs() <= 1e-10 * expected.abs().max(1.0), "{name}: f64 logp {lp}, expected {expected}");
            let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
            let mut g32 = vec![0.0f32; y.len()];
            let lp32 = compiled.density::<f32>().logp_grad(&y32, &mut g32).unwrap() as f64;
            assert!((lp32 - expected).abs() <= 1e-4 * expected.abs().max(1.0), "{name}: f32 logp {lp32}, expected {expected}");
        }
    }
}

/// Central finite differences of the log density at `y`.
fn fd_gradient(d: &mut exmc::CompiledDensity<f64>, y: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; y.len()];
    for i in 0..y.len() {
        let h = 1e-6 * y[i].abs().max(1.0);
        let (mut a, mut b) = (y.to_vec(), y.to_vec());
        a[i] += h;
        b[i] -= h;
        g[i] = (d.logp(&a).unwrap() - d.logp(&b).unwrap()) / (2.0 * h);
    }
    g
}

#[test]
fn gradients_match_finite_differences_centred_and_noncentred() {
    for noncentre in [false, true] {
        for name in bench_models::NAMES {
            let spec = spec(name);
            let compiled = bench_models::build(name, &spec["data"]).unwrap().compile_with(&CompileOptions { noncentre }).unwrap();
            let mut d = compiled.density::<f64>();
            // A deterministic, moderately spread point.
            let y: Vec<f64> = (0..compiled.dim()).map(|i| ((i as f64 * 0.7).sin()) * 0.8).collect();
            let mut grad = vec![0.0; y.len()];
            d.logp_grad(&y, &mut grad).unwrap();
            let fd = fd_gradient(&mut d, &y);
            for i in 0..y.len() {
                assert!(
                    (grad[i] - fd[i]).abs() <= 1e-5 * fd[i].abs().max(1.0),
                    "{name} (noncentre {noncentre}): coordinate {i}: analytic {}, numeric {}",
                    grad[i],
                    fd[i]
                );
            }
        }
    }
}

#[test]
fn noncentred_density_is_the_centred_one_plus_the_log_scale() {
    // theta = mu + tau z  ⇒  log p(z) = log p(theta) + Σ log tau.
    let spec = spec("eight_schools");
    let model = bench_models::build("eight_schools", &spec["data"]).unwrap();
    let centred = model.compile_with(&CompileOptions { noncentre: false }).unwrap();
    let nc = model.compile_with(&CompileOptions { noncentre: true }).unwrap();
    let (mu, log_tau) = (1.5, 0.3);
    let z: Vec<f64> = (0..8).map(|i| (i as f64 - 3.5) * 0.4).collect();
    let tau = f64::exp(log_tau);
    let mut y_nc = vec![mu, log_tau];
    y_nc.extend(&z);
    let mut y_c = vec![mu, log_tau];
    y_c.extend(z.iter().map(|zi| mu + tau * zi));
    let lp_nc = nc.density::<f64>().logp(&y_nc).unwrap();
    let lp_c = centred.density::<f64>().logp(&y_c).unwrap();
    assert!((lp_nc - (lp_c + 8.0 * log_tau)).abs() < 1e-10, "{lp_nc} vs {lp_c} + 8 log tau");
    // And the reported theta is mu + tau z.
    let mut out = vec![];
    nc.density::<f64>().constrain(&y_nc, &mut out).unwrap();
    assert_eq!(nc.output_names()[2], "theta[1]");
    assert!((out[2] - (mu + tau * z[0])).abs() < 1e-12);
}
