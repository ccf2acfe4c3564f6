//! The Stan front end through the real binary: `exmc sample model.stan
//! --data data.json` writes CmdStan files with transformed parameters and
//! generated quantities; `exmc check` lints.

use std::path::PathBuf;
use std::process::{Command, Output};

fn exmc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exmc")).args(args).output().expect("run exmc")
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("exmc-stan-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn sample_a_stan_program_with_generated_quantities() {
    let out = tmp("gq");
    let o = exmc(&[
        "sample",
        &data("gq.stan"),
        "--data",
        &data("gq.data.json"),
        "--chains",
        "2",
        "--seed",
        "3",
        "--num-warmup",
        "300",
        "--num-samples",
        "300",
        "--output",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let csv = exmc_report::csv::read_cmdstan_csv(out.join("gq_1.csv")).unwrap();
    let names = &csv.column_names;
    for n in ["mu", "sigma", "log_sigma", "y_rep", "log_lik.1", "log_lik.5"] {
        assert!(names.iter().any(|c| c == n), "missing column {n} in {names:?}");
    }
    assert_eq!(csv.draws.len(), 300);
    let (s, ls) = (csv.column("sigma").unwrap(), csv.column("log_sigma").unwrap());
    let (mu, ll1) = (csv.column("mu").unwrap(), csv.column("log_lik.1").unwrap());
    for i in 0..s.len() {
        assert!((ls[i] - s[i].ln()).abs() < 1e-12, "log_sigma is log(sigma)");
        let z = (1.2 - mu[i]) / s[i];
        let expected = -0.5 * z * z - s[i].ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
        assert!((ll1[i] - expected).abs() < 1e-10, "log_lik[1]");
    }
    let y_rep = csv.column("y_rep").unwrap();
    assert!(y_rep.windows(2).any(|w| w[0] != w[1]), "y_rep is drawn afresh each draw");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn stan_errors_name_file_line_and_column() {
    let o = exmc(&["sample", &data("type_error.stan")]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("type_error.stan:8:"), "{err}");
    assert!(err.contains("did you mean 'normal'"), "{err}");
    let o = exmc(&["sample", "/nonexistent/model.stan"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    // Data problems are file errors (exit 3) naming the declaration.
    let o = exmc(&["sample", &data("gq.stan")]);
    assert_eq!(o.status.code(), Some(3), "missing data is an error: {}", text(&o.stderr));
    assert!(text(&o.stderr).contains("data variable 'N' declared at"), "{}", text(&o.stderr));
    let bad = std::env::temp_dir().join(format!("exmc-bad-data-{}.json", std::process::id()));
    std::fs::write(&bad, r#"{"N": 5, "y": [1.0, 2.0]}"#).unwrap();
    let o = exmc(&["sample", &data("gq.stan"), "--data", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("gq.stan:4:"), "points at the declaration of y: {}", text(&o.stderr));
    let _ = std::fs::remove_file(&bad);
}

#[test]
fn check_is_a_linter() {
    let o = exmc(&["check", &data("gq.stan")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("gq.stan: ok"));
    let o = exmc(&["check", &data("gq.stan"), &data("type_error.stan")]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("type_error.stan:8:") && err.contains("nromal"), "{err}");
}
