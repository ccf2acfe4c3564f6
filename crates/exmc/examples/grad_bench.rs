//! Cost of one log density + gradient: compiled models against hand-written
//! Rust ([`exmc::bench::hand`]), for logistic (500×20) and sv (T = 100),
//! f64 and f32.
//!
//! ```text
//! cargo run --release -p exmc --example grad_bench [-- --json out.json] [--quick]
//! ```
//!
//! Timing: a plain loop. Calibrate the count so one repetition takes about
//! 100 ms (20 ms with `--quick`), one repetition of warm-up, then the
//! median (and minimum) of 9 repetitions, in ns per `logp_grad`. The
//! densities that are compared are timed interleaved (A B A B ...), so
//! that other work on the machine weighs on all of them alike. Points: the reference
//! posterior means (unconstrained), so branches are the typical ones.
//! Before timing, every hand-written density is checked against the
//! compiled one at that point (1e-10 relative in f64).
//!
//! Profiling by variants: the compiled logistic is also timed as sub-models
//! (priors + mat-vec only; the likelihood written with elementwise ops),
//! and sv without its Student-t part and with it alone, to see which part
//! of the program the time goes to.
//!
//! The compiled f64 logistic is timed with the vector kernels this CPU
//! allows (`exmc::math::simd`, printed; `EXMC_SIMD=scalar|avx2` lowers
//! the level) and with the portable ones.

use exmc::bench::hand::{logistic_data, sv_data, Logistic, LogisticFast, Sv};
use exmc::dist::{bernoulli_logit, exponential, normal, student_t};
use exmc::model::{concat, matvec};
use exmc::{CompileOptions, Compiled, Expr, LogDensity, Model, Real, Shape};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};

const REPS: usize = 9;

/// A timed loop over one density at one point: `run(n)` evaluates `n` times.
struct Timer<'a> {
    run: Box<dyn FnMut(u64) -> Duration + 'a>,
    n: u64,
}

impl<'a> Timer<'a> {
    fn new<T: Real, D: LogDensity<T>>(d: &'a mut D, x: &'a [T]) -> Self {
        let mut g = vec![T::zero(); x.len()];
        let run = Box::new(move |n: u64| {
            let t = Instant::now();
            for _ in 0..n {
                let _ = black_box(d.logp_grad(black_box(x), black_box(&mut g)));
            }
            t.elapsed()
        });
        Timer { run, n: 0 }
    }

    /// Chooses `n` so that one repetition takes about `target`, then warms up.
    fn calibrate(&mut self, target: Duration) {
        let mut n = 16u64;
        let mut el = (self.run)(n);
        while el < target / 10 {
            n *= 4;
            el = (self.run)(n);
        }
        self.n = ((n as f64) * target.as_secs_f64() / el.as_secs_f64()).max(1.0) as u64;
        (self.run)(self.n);
    }
}

/// Median and minimum ns per evaluation of each timer over [`REPS`]
/// repetitions, the timers interleaved (A B C A B C ...) so that all of
/// them see the same load from other work on the machine.
fn time_interleaved(timers: &mut [Timer<'_>], target: Duration) -> Vec<(f64, f64)> {
    for t in timers.iter_mut() {
        t.calibrate(target);
    }
    let mut per: Vec<Vec<f64>> = vec![Vec::with_capacity(REPS); timers.len()];
    for _ in 0..REPS {
        for (t, p) in timers.iter_mut().zip(per.iter_mut()) {
            p.push((t.run)(t.n).as_nanos() as f64 / t.n as f64);
        }
    }
    per.into_iter()
        .map(|mut p| {
            p.sort_by(f64::total_cmp);
            (p[REPS / 2], p[0])
        })
        .collect()
}

fn time_ns<T: Real, D: LogDensity<T>>(d: &mut D, x: &[T], target: Duration) -> f64 {
    time_interleaved(&mut [Timer::new(d, x)], target)[0].0
}

fn reference_means(model: &str) -> Result<Value, String> {
    let path = format!("{}/../../../shared/bench-models/reference/{model}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(v["posteriordb_summary"]["mean"].clone())
}

fn mean_of(m: &Value, name: &str) -> Result<f64, String> {
    m[name].as_f64().ok_or_else(|| format!("no reference mean for {name}"))
}

/// Checks `hand` against `compiled` at `x` (relative `tol`) and returns the max relative difference.
fn agree<T: Real, A: LogDensity<T>, B: LogDensity<T>>(hand: &mut A, compiled: &mut B, x: &[T], tol: f64) -> Result<f64, String> {
    let (mut g1, mut g2) = (vec![T::zero(); x.len()], vec![T::zero(); x.len()]);
    let l1 = hand.logp_grad(x, &mut g1).map_err(|e| e.to_string())?.f64();
    let l2 = compiled.logp_grad(x, &mut g2).map_err(|e| e.to_string())?.f64();
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1.0);
    let worst = g1.iter().zip(&g2).map(|(a, b)| rel(a.f64(), b.f64())).fold(rel(l1, l2), f64::max);
    if !(worst <= tol) {
        return Err(format!("hand-written and compiled disagree: max relative difference {worst:e} > {tol:e}"));
    }
    Ok(worst)
}

fn compile(m: &Model) -> Result<Compiled, String> {
    m.compile_with(&CompileOptions { noncentre: false }).map_err(|e| e.to_string())
}

struct Row {
    model: &'static str,
    precision: &'static str,
    what: String,
    ns: f64,
}

fn main() {
    if let Err(e) = real_main() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let json_path = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1)).cloned();
    let rep = Duration::from_millis(if quick { 20 } else { 100 });
    let mut rows: Vec<Row> = Vec::new();
    let mut push = |model, precision, what: &str, ns: f64| {
        eprintln!("{model:>9} {precision} {what:<58} {ns:>10.1} ns");
        rows.push(Row { model, precision, what: what.into(), ns });
    };

    // ---- logistic ----
    let (n, p, x, y) = logistic_data()?;
    let means = reference_means("logistic")?;
    let mut th = vec![mean_of(&means, "alpha")?];
    for j in 1..=p {
        th.push(mean_of(&means, &format!("beta[{j}]"))?);
    }
    let th32: Vec<f32> = th.iter().map(|&v| v as f32).collect();
    let full = compile(&exmc::bench_models::by_name("logistic").map_err(|e| e.to_string())?)?;
    eprintln!("vector kernels: {} (EXMC_SIMD=scalar|avx2 lowers it)", full.isa().name());
    let (mut c64, mut c32) = (full.density::<f64>(), full.density::<f32>());
    let mut c64_portable = full.with_isa(exmc::math::simd::Isa::scalar()).density::<f64>();
    agree(&mut c64_portable, &mut c64, &th, 1e-13)?;
    let (mut h64, mut h32, mut hf) =
        (Logistic::<f64>::new(n, p, &x, &y), Logistic::<f32>::new(n, p, &x, &y), LogisticFast::new(n, p, &x, &y));
    agree(&mut h64, &mut c64, &th, 1e-10)?;
    agree(&mut hf, &mut c64, &th, 1e-10)?;
    agree(&mut h32, &mut c32, &th32, 1e-3)?;
    {
        let t = time_interleaved(
            &mut [
                Timer::new(&mut c64, &th),
                Timer::new(&mut h64, &th),
                Timer::new(&mut hf, &th),
                Timer::new(&mut c32, &th32),
                Timer::new(&mut h32, &th32),
                Timer::new(&mut c64_portable, &th),
            ],
            rep,
        );
        push("logistic", "f64", "compiled", t[0].0);
        push("logistic", "f64", "compiled, portable kernels (no AVX)", t[5].0);
        push("logistic", "f64", "compiled, portable kernels (no AVX) (minimum)", t[5].1);
        push("logistic", "f64", "hand-written (std exp/ln_1p)", t[1].0);
        push("logistic", "f64", "hand-written (column-major, vectorised exp/log1p)", t[2].0);
        push("logistic", "f32", "compiled", t[3].0);
        push("logistic", "f32", "hand-written (std exp/ln_1p)", t[4].0);
        push("logistic", "f64", "compiled (minimum)", t[0].1);
        push("logistic", "f64", "hand-written (std exp/ln_1p) (minimum)", t[1].1);
        push("logistic", "f64", "hand-written (column-major, vectorised exp/log1p) (minimum)", t[2].1);
        push("logistic", "f32", "compiled (minimum)", t[3].1);
        push("logistic", "f32", "hand-written (std exp/ln_1p) (minimum)", t[4].1);
    }
    // Variants of the compiled program.
    {
        let xm = Expr::matrix(n, p, x.clone());
        let mut m = Model::new();
        let a = m.param("alpha", normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        let b = m.param_vector("beta", p, normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        m.factor("lin", (&a + matvec(&xm, &b)).sum()).map_err(|e| e.to_string())?;
        let mut d = compile(&m)?.density::<f64>();
        push("logistic", "f64", "variant: priors + sum(alpha + X beta) (no likelihood)", time_ns(&mut d, &th, rep));

        let mut m = Model::new();
        let a = m.param("alpha", normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        let b = m.param_vector("beta", p, normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        let eta = &a + matvec(&xm, &b);
        let yv = Expr::vector(y.clone());
        m.factor("lik", (&yv * &eta - eta.softplus()).sum()).map_err(|e| e.to_string())?;
        let mut d = compile(&m)?.density::<f64>();
        agree(&mut h64, &mut d, &th, 1e-10)?;
        push("logistic", "f64", "variant: likelihood as sum(y*eta - softplus(eta))", time_ns(&mut d, &th, rep));

        let mut m = Model::new();
        let a = m.param("alpha", normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        let b = m.param_vector("beta", p, normal(0.0, 10.0)).map_err(|e| e.to_string())?;
        m.observe("y", bernoulli_logit(&a + matvec(&xm, &b)), y.iter().map(|&v| v as i64).collect::<Vec<_>>())
            .map_err(|e| e.to_string())?;
        let mut d = compile(&m)?.density::<f64>();
        let t0 = Instant::now();
        let mut k = 0u64;
        while t0.elapsed() < rep {
            let _ = black_box(d.logp(black_box(&th)));
            k += 1;
        }
        push("logistic", "f64", "variant: compiled, log density only (forward sweep)", t0.elapsed().as_nanos() as f64 / k as f64);
    }

    // ---- sv ----
    let r = sv_data()?;
    let means = reference_means("sv")?;
    let mut th = vec![mean_of(&means, "sigma")?.ln(), mean_of(&means, "nu")?.ln()];
    for t in 1..=r.len() {
        th.push(mean_of(&means, &format!("s[{t}]"))?);
    }
    let th32: Vec<f32> = th.iter().map(|&v| v as f32).collect();
    let full = compile(&exmc::bench_models::by_name("sv").map_err(|e| e.to_string())?)?;
    let (mut c64, mut c32) = (full.density::<f64>(), full.density::<f32>());
    let (mut h64, mut h32) = (Sv::<f64>::new(&r), Sv::<f32>::new(&r));
    agree(&mut h64, &mut c64, &th, 1e-10)?;
    agree(&mut h32, &mut c32, &th32, 1e-3)?;
    {
        let t = time_interleaved(
            &mut [
                Timer::new(&mut c64, &th),
                Timer::new(&mut h64, &th),
                Timer::new(&mut c32, &th32),
                Timer::new(&mut h32, &th32),
            ],
            rep,
        );
        push("sv", "f64", "compiled", t[0].0);
        push("sv", "f64", "hand-written (std exp/ln_1p)", t[1].0);
        push("sv", "f32", "compiled", t[2].0);
        push("sv", "f32", "hand-written (std exp/ln_1p)", t[3].0);
        push("sv", "f64", "compiled (minimum)", t[0].1);
        push("sv", "f64", "hand-written (std exp/ln_1p) (minimum)", t[1].1);
        push("sv", "f32", "compiled (minimum)", t[2].1);
        push("sv", "f32", "hand-written (std exp/ln_1p) (minimum)", t[3].1);
    }
    {
        let t = r.len();
        let build = |walk: bool, lik: bool| -> Result<Compiled, String> {
            let mut m = Model::new();
            let sigma = m.param("sigma", exponential(50.0)).map_err(|e| e.to_string())?;
            let nu = m.param("nu", exponential(0.1)).map_err(|e| e.to_string())?;
            let s = m.param_with("s", Shape::Vector(t), None, exmc::Constraint::Real).map_err(|e| e.to_string())?;
            if walk {
                let prev: Vec<usize> = (0..t - 1).collect();
                let lagged = concat(&[Expr::scalar(0.0), s.gather(&prev)]);
                m.factor("s_walk", normal(0.0, &sigma).lpdf(&s - lagged)).map_err(|e| e.to_string())?;
            } else {
                m.factor("s_plain", normal(0.0, 1.0).lpdf(&s)).map_err(|e| e.to_string())?;
            }
            if lik {
                m.observe("returns", student_t(&nu, 0.0, s.exp()), r.clone()).map_err(|e| e.to_string())?;
            }
            compile(&m)
        };
        let mut d = build(false, false)?.density::<f64>();
        push("sv", "f64", "variant: priors + N(0,1) on s only (baseline)", time_ns(&mut d, &th, rep));
        let mut d = build(true, false)?.density::<f64>();
        push("sv", "f64", "variant: priors + random walk only (no Student-t)", time_ns(&mut d, &th, rep));
        let mut d = build(false, true)?.density::<f64>();
        push("sv", "f64", "variant: Student-t likelihood + N(0,1) on s (no walk)", time_ns(&mut d, &th, rep));
        let (instr_logp, instr_all) = full.instruction_count();
        eprintln!("sv program: {instr_logp} instructions for the log density ({instr_all} with outputs)");
    }

    // ---- cost of the scalar kernels, per element of a 512-vector (f64) ----
    {
        let v: Vec<f64> = (0..512).map(|i| -3.0 + 6.0 * i as f64 / 512.0).collect();
        let mut out = vec![0.0; 512];
        fn kernel(what: &str, v: &[f64], out: &mut [f64], budget: Duration, f: impl Fn(f64) -> f64) -> f64 {
            let t0 = Instant::now();
            let mut k = 0u64;
            while t0.elapsed() < budget {
                for (o, &x) in out.iter_mut().zip(black_box(v)) {
                    *o = f(x);
                }
                black_box(&mut *out);
                k += 1;
            }
            let ns = t0.elapsed().as_nanos() as f64 / (k as f64 * v.len() as f64);
            eprintln!("   kernel {what:<40} {ns:>6.2} ns/element");
            ns
        }
        let b = rep / 2;
        let ks = [
            ("exp", kernel("exp", &v, &mut out, b, |x| x.exp())),
            ("ln", kernel("ln", &v, &mut out, b, |x| (x + 4.0).ln())),
            ("ln_1p", kernel("ln_1p", &v, &mut out, b, |x| (x + 3.5).ln_1p())),
            ("division", kernel("division", &v, &mut out, b, |x| 1.0 / (x + 3.5))),
            ("exp_nonpositive (polynomial)", kernel("exp_nonpositive", &v, &mut out, b, |x| exmc::bench::hand::exp_nonpositive(-x.abs()))),
            ("log1p_unit (polynomial)", kernel("log1p_unit", &v, &mut out, b, |x| exmc::bench::hand::log1p_unit(x.abs() / 3.0))),
        ];
        for (w, ns) in ks {
            rows.push(Row { model: "kernel", precision: "f64", what: format!("{w}, ns per element"), ns });
        }
    }

    // ---- summary ----
    let get = |m: &str, p: &str, w: &str| rows.iter().find(|r| r.model == m && r.precision == p && r.what == w).map(|r| r.ns);
    println!("\n| model | precision | compiled ns | hand-written ns | ratio | ratio of minima | vectorised hand-written ns | ratio |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut ratios = Vec::new();
    for (m, p) in [("logistic", "f64"), ("logistic", "f32"), ("sv", "f64"), ("sv", "f32")] {
        let c = get(m, p, "compiled").unwrap_or(f64::NAN);
        let h = get(m, p, "hand-written (std exp/ln_1p)").unwrap_or(f64::NAN);
        let f = get(m, p, "hand-written (column-major, vectorised exp/log1p)");
        let fcell = f.map_or("-".to_string(), |f| format!("{f:.0}"));
        let rcell = f.map_or("-".to_string(), |f| format!("{:.2}×", c / f));
        let cmin = get(m, p, "compiled (minimum)").unwrap_or(f64::NAN);
        let hmin = get(m, p, "hand-written (std exp/ln_1p) (minimum)").unwrap_or(f64::NAN);
        println!("| {m} | {p} | {c:.0} | {h:.0} | {:.2}× | {:.2}× | {fcell} | {rcell} |", c / h, cmin / hmin);
        ratios.push(json!({"model": m, "precision": p, "compiled_ns": c, "hand_ns": h, "ratio": c / h,
                           "hand_vectorised_ns": f, "ratio_vectorised": f.map(|f| c / f)}));
    }
    println!("\nAll timings (median of {REPS} repetitions):\n");
    println!("| model | precision | what | ns per logp+grad |");
    println!("|---|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {} | {:.0} |", r.model, r.precision, r.what, r.ns);
    }
    if let Some(path) = json_path {
        let all: Vec<Value> =
            rows.iter().map(|r| json!({"model": r.model, "precision": r.precision, "what": r.what, "ns": r.ns})).collect();
        let body = json!({"ratios": ratios, "timings": all, "loadavg": exmc::bench::loadavg()});
        std::fs::write(&path, serde_json::to_string_pretty(&body).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}
