//! Times exmc's log density + gradient of one Stan program at one
//! unconstrained point — the exmc half of `bench/stan-gradient/run.py`,
//! which times Stan's own gradient of the same program at the same point.
//!
//! `cargo run --release -p exmc --example stan_grad_time -- model.stan data.json point.txt reps [f64|f32]`
//!
//! `point.txt`: whitespace-separated unconstrained values (`-` prints the
//! dimension instead). Prints one JSON object:
//! `{"dim", "ns_per_grad", "logp", "grad": [...]}` (best of 5 rounds).
//! With `EXMC_LISTING` set, the compiled instructions go to stderr.

use exmc::LogDensity;
use exmc_stan::StanModel;
use std::time::Instant;

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [stan, data, point, reps, rest @ ..] = args.as_slice() else {
        return Err("usage: stan_grad_time model.stan data.json point.txt reps [f64|f32]".into());
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let (source, json) = (read(stan)?, read(data)?);
    let model = StanModel::build_from_text(&source, stan, &json, data).map_err(|e| e.render(stan, &source, data))?;
    let dim = model.compiled.dim();
    if std::env::var_os("EXMC_LISTING").is_some() {
        eprint!("{}", model.compiled.listing());
    }
    if point == "-" {
        println!("{{\"dim\": {dim}}}");
        return Ok(());
    }
    let x: Vec<f64> = read(point)?
        .split_whitespace()
        .map(|v| v.parse::<f64>().map_err(|e| format!("{point}: {v}: {e}")))
        .collect::<Result<_, _>>()?;
    if x.len() != dim {
        return Err(format!("{point} has {} values, the model {dim}", x.len()));
    }
    let reps: usize = reps.parse().map_err(|e| format!("reps: {e}"))?;
    let (ns, logp, grad) = match rest.first().map(String::as_str) {
        None | Some("f64") => time(model.compiled.density::<f64>(), &x, reps)?,
        Some("f32") => {
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let (ns, lp, g) = time(model.compiled.density::<f32>(), &x32, reps)?;
            (ns, lp as f64, g.iter().map(|&v| v as f64).collect())
        }
        Some(other) => return Err(format!("precision must be f64 or f32, not {other}")),
    };
    let grad: Vec<String> = grad.iter().map(|g| format!("{g:e}")).collect();
    println!("{{\"dim\": {dim}, \"ns_per_grad\": {ns:.1}, \"logp\": {logp:e}, \"grad\": [{}]}}", grad.join(", "));
    Ok(())
}

/// Best of 5 rounds of `reps` evaluations, in ns per evaluation.
fn time<T: exmc::Real, D: LogDensity<T>>(mut d: D, x: &[T], reps: usize) -> Result<(f64, T, Vec<T>), String> {
    let mut g = vec![T::c(0.0); x.len()];
    let logp = d.logp_grad(x, &mut g).map_err(|e| format!("log density at the point: {e:?}"))?;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(d.logp_grad(x, &mut g).map_err(|e| format!("{e:?}"))?);
        }
        best = best.min(t.elapsed().as_secs_f64() / reps.max(1) as f64 * 1e9);
    }
    Ok((best, logp, g))
}
