//! Every case of `shared/fixtures/distributions.json` (SciPy values) against
//! our kernels: logpdf / logcdf / logccdf where given.
//!
//! * f64: `|got − want| ≤ 1e-8 · max(|want|, 1)` (relative 1e-8, absolute
//!   1e-8 near zero).
//! * SciPy's `-inf` where the true value is finite: SciPy evaluates
//!   `log(sf(x))` / `log(cdf(x))` with the probability underflowed to 0 in
//!   double precision, so the true log value is below ≈ −708. We accept a
//!   finite value only when it is below −708 (its `exp` underflows too), and
//!   count these cases. One exception is checked by a second route:
//!   `half_student_t(ν = 1, σ)` at `x = 1e-8`, where SciPy's `-inf` logcdf
//!   comes from cancellation in `2 F(x) − 1`; `ν = 1` is the half-Cauchy, whose
//!   CDF `(2/π) atan(x/σ)` the test computes in closed form.
//! * f32: the f32 kernel at the f32-rounded inputs against the f64 kernel at
//!   the same rounded inputs, `≤ 1e-4 · max(|ref|, 1)` (this isolates the
//!   kernel's precision from the conditioning of rounding the inputs, e.g.
//!   `x = 0.9999999` for beta). Skipped where the reference value or an input
//!   is outside the f32 range (reported in the count of skips).
//! * Every case must be dispatched: an unknown distribution fails the test
//!   by name.

use exmc_math::dist::*;
use serde_json::Value;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/distributions.json"
);

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => match s.as_str() {
            "nan" => f64::NAN,
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            other => panic!("bad number string {other}"),
        },
        other => panic!("not a number: {other}"),
    }
}

/// Computed values (logpdf, logcdf, logccdf) for one case in f64 and in f32.
struct Got {
    f64: [Option<f64>; 3],
    /// (f32 kernel, f64 kernel at the f32-rounded inputs)
    f32: [Option<(f64, f64)>; 3],
}

fn r32(x: f64) -> f64 {
    x as f32 as f64
}

fn in_f32(x: f64) -> bool {
    !x.is_finite() || (x.abs() < 3.0e38 && (x == 0.0 || x.abs() > 1.2e-38))
}

fn cont<D: Continuous>(x: f64, p: &[f64]) -> [Option<f64>; 1] {
    let mut d = [0.0; 8];
    [Some(D::lpdf(x, p, &mut d).expect("valid params"))]
}

fn cont_all<D: Cdf>(x: f64, p: &[f64]) -> Got {
    fn eval<D: Cdf, T: exmc_math::Real>(x: T, p: &[T]) -> [f64; 3] {
        let mut d = [T::zero(); 8];
        [
            D::lpdf(x, p, &mut d).expect("valid").f64(),
            D::lcdf(x, p, &mut d).expect("valid").f64(),
            D::lccdf(x, p, &mut d).expect("valid").f64(),
        ]
    }
    let a = eval::<D, f64>(x, p);
    let (x32, p32): (f32, Vec<f32>) = (x as f32, p.iter().map(|&v| v as f32).collect());
    let rp: Vec<f64> = p.iter().map(|&v| r32(v)).collect();
    let b = eval::<D, f32>(x32, &p32);
    let c = eval::<D, f64>(r32(x), &rp);
    let ok32 = in_f32(x) && p.iter().all(|&v| in_f32(v));
    Got {
        f64: [Some(a[0]), Some(a[1]), Some(a[2])],
        f32: std::array::from_fn(|i| if ok32 { Some((b[i], c[i])) } else { None }),
    }
}

fn cont_pdf_only<D: Continuous>(x: f64, p: &[f64]) -> Got {
    let a = cont::<D>(x, p)[0];
    let p32: Vec<f32> = p.iter().map(|&v| v as f32).collect();
    let rp: Vec<f64> = p.iter().map(|&v| r32(v)).collect();
    let mut d = [0f32; 8];
    let b = D::lpdf(x as f32, &p32, &mut d).expect("valid") as f64;
    let c = cont::<D>(r32(x), &rp)[0].unwrap();
    Got {
        f64: [a, None, None],
        f32: [Some((b, c)), None, None],
    }
}

fn disc<D: DiscreteCdf>(n: &[i64], p: &[f64], with_cdf: bool) -> Got {
    fn eval<D: DiscreteCdf, T: exmc_math::Real>(
        n: &[i64],
        p: &[T],
        with_cdf: bool,
    ) -> [Option<f64>; 3] {
        let mut d = [T::zero(); 4];
        let a = D::lpmf(n, p, &mut d).expect("valid").f64();
        if !with_cdf {
            return [Some(a), None, None];
        }
        let b = D::lcdf(n, p, &mut d).expect("valid").f64();
        let c = D::lccdf(n, p, &mut d).expect("valid").f64();
        [Some(a), Some(b), Some(c)]
    }
    let a = eval::<D, f64>(n, p, with_cdf);
    let p32: Vec<f32> = p.iter().map(|&v| v as f32).collect();
    let rp: Vec<f64> = p.iter().map(|&v| r32(v)).collect();
    let b = eval::<D, f32>(n, &p32, with_cdf);
    let c = eval::<D, f64>(n, &rp, with_cdf);
    Got {
        f64: a,
        f32: std::array::from_fn(|i| b[i].zip(c[i])),
    }
}

fn disc_pmf<D: Discrete>(n: &[i64], p: &[f64]) -> Got {
    let mut d = [0.0; 4];
    let a = D::lpmf(n, p, &mut d).expect("valid");
    let p32: Vec<f32> = p.iter().map(|&v| v as f32).collect();
    let rp: Vec<f64> = p.iter().map(|&v| r32(v)).collect();
    let mut d32 = [0f32; 4];
    let b = D::lpmf(n, &p32, &mut d32).expect("valid") as f64;
    let c = D::lpmf(n, &rp, &mut d).expect("valid");
    Got {
        f64: [Some(a), None, None],
        f32: [Some((b, c)), None, None],
    }
}

fn trunc_normal(x: f64, mu: f64, sigma: f64, lo: f64, hi: f64) -> Got {
    fn eval<T: exmc_math::Real>(x: T, mu: T, sigma: T, lo: f64, hi: f64) -> [f64; 3] {
        let l = if lo.is_finite() { Some(T::c(lo)) } else { None };
        let u = if hi.is_finite() { Some(T::c(hi)) } else { None };
        let p = [mu, sigma];
        let mut d = [T::zero(); 8];
        [
            truncated_lpdf::<Normal, T>(x, &p, l, u, &mut d)
                .expect("valid")
                .f64(),
            truncated_lcdf::<Normal, T>(x, &p, l, u, &mut d)
                .expect("valid")
                .f64(),
            truncated_lccdf::<Normal, T>(x, &p, l, u, &mut d)
                .expect("valid")
                .f64(),
        ]
    }
    let a = eval::<f64>(x, mu, sigma, lo, hi);
    let b = eval::<f32>(x as f32, mu as f32, sigma as f32, r32(lo), r32(hi));
    let c = eval::<f64>(r32(x), r32(mu), r32(sigma), r32(lo), r32(hi));
    Got {
        f64: a.map(Some),
        f32: std::array::from_fn(|i| Some((b[i], c[i]))),
    }
}

fn mat(v: &Value) -> (Vec<f64>, usize) {
    let rows = v.as_array().unwrap();
    let n = rows.len();
    let mut out = Vec::with_capacity(n * n);
    for r in rows {
        for x in r.as_array().unwrap() {
            out.push(num(x));
        }
    }
    (out, n)
}

fn vecf(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

fn multivariate(dist: &str, x: &Value, params: &Value) -> Option<Got> {
    fn both<F: Fn(bool) -> f64>(f: F) -> Got {
        // f(false): f64 at the given inputs; f(true): (f32 kernel) — the f32
        // reference is the f64 kernel at rounded inputs (computed by caller).
        Got {
            f64: [Some(f(false)), None, None],
            f32: [None, None, None],
        }
    }
    let g = match dist {
        "categorical" => {
            let theta = vecf(&params["p"]);
            let n = x.as_u64().unwrap() as usize;
            let mut d = vec![0.0; theta.len()];
            let a = categorical_lpmf(n, &theta, &mut d).expect("valid");
            let t32: Vec<f32> = theta.iter().map(|&v| v as f32).collect();
            let mut d32 = vec![0f32; theta.len()];
            let b = categorical_lpmf(n, &t32, &mut d32).expect("valid") as f64;
            let c = a; // see dirichlet below

            Got {
                f64: [Some(a), None, None],
                f32: [Some((b, c)), None, None],
            }
        }
        "dirichlet" => {
            let alpha = vecf(&params["alpha"]);
            let xv = vecf(x);
            let k = xv.len();
            let (mut dx, mut da) = (vec![0.0; k], vec![0.0; k]);
            let a = dirichlet_lpdf(&xv, &alpha, &mut dx, &mut da).expect("valid");
            let (x32, a32): (Vec<f32>, Vec<f32>) = (
                xv.iter().map(|&v| v as f32).collect(),
                alpha.iter().map(|&v| v as f32).collect(),
            );
            let (mut dx32, mut da32) = (vec![0f32; k], vec![0f32; k]);
            let b = dirichlet_lpdf(&x32, &a32, &mut dx32, &mut da32).expect("valid") as f64;
            // Rounded simplices miss the f64 simplex tolerance (1e-8): the
            // f32 value is compared with the f64 value at the exact inputs.
            let c = a;
            Got {
                f64: [Some(a), None, None],
                f32: [Some((b, c)), None, None],
            }
        }
        "mv_normal" => {
            let mu = vecf(&params["mu"]);
            let (sigma, n) = mat(&params["cov"]);
            let xv = vecf(x);
            let run64 = |xv: &[f64], mu: &[f64], s: &[f64]| {
                let (mut dx, mut dm, mut ds, mut sc) = (
                    vec![0.0; n],
                    vec![0.0; n],
                    vec![0.0; n * n],
                    vec![0.0; n * n],
                );
                multi_normal_lpdf(xv, mu, s, &mut dx, &mut dm, &mut ds, &mut sc).expect("valid")
            };
            let a = run64(&xv, &mu, &sigma);
            let c32 = |v: &[f64]| -> Vec<f32> { v.iter().map(|&x| x as f32).collect() };
            let (mut dx, mut dm, mut ds, mut sc) = (
                vec![0f32; n],
                vec![0f32; n],
                vec![0f32; n * n],
                vec![0f32; n * n],
            );
            let b = multi_normal_lpdf(
                &c32(&xv),
                &c32(&mu),
                &c32(&sigma),
                &mut dx,
                &mut dm,
                &mut ds,
                &mut sc,
            )
            .expect("valid") as f64;
            let rr = |v: &[f64]| -> Vec<f64> { v.iter().map(|&x| r32(x)).collect() };
            let c = run64(&rr(&xv), &rr(&mu), &rr(&sigma));
            Got {
                f64: [Some(a), None, None],
                f32: [Some((b, c)), None, None],
            }
        }
        "lkj_corr" => {
            let eta = num(&params["eta"]);
            let (omega, k) = mat(x);
            let (mut d, mut de, mut sc) = (vec![0.0; k * k], 0.0, vec![0.0; k * k]);
            let a = lkj_corr_lpdf(&omega, k, eta, &mut d, &mut de, &mut sc).expect("valid");
            // Same density through the Cholesky form: log p(L) − log|J| with
            // |J| = Π L_ii^{K−i} (1-based), an independent check of the
            // lkj_corr_cholesky exponents.
            let mut l = vec![0.0; k * k];
            chol(&omega, k, &mut l);
            let mut dl = vec![0.0; k * k];
            let lc = lkj_corr_cholesky_lpdf(&l, k, eta, &mut dl, &mut de).expect("valid");
            let logj: f64 = (0..k).map(|i| (k - 1 - i) as f64 * l[i * k + i].ln()).sum();
            assert!(
                (lc - logj - a).abs() < 1e-12 * a.abs().max(1.0),
                "lkj_corr_cholesky vs lkj_corr: {} {}",
                lc - logj,
                a
            );
            let o32: Vec<f32> = omega.iter().map(|&v| v as f32).collect();
            let (mut d32, mut de32, mut sc32) = (vec![0f32; k * k], 0f32, vec![0f32; k * k]);
            let b = lkj_corr_lpdf(&o32, k, eta as f32, &mut d32, &mut de32, &mut sc32)
                .expect("valid") as f64;
            let or: Vec<f64> = omega.iter().map(|&v| r32(v)).collect();
            let c = lkj_corr_lpdf(&or, k, r32(eta), &mut d, &mut de, &mut sc).expect("valid");
            Got {
                f64: [Some(a), None, None],
                f32: [Some((b, c)), None, None],
            }
        }
        _ => return None,
    };
    let _ = both::<fn(bool) -> f64>;
    Some(g)
}

fn chol(a: &[f64], n: usize, l: &mut [f64]) {
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = if i == j { s.sqrt() } else { s / l[j * n + j] };
        }
    }
}

fn half_cauchy_lcdf(x: f64, sigma: f64) -> f64 {
    (2.0 / std::f64::consts::PI * (x / sigma).atan()).ln()
}

#[test]
fn scipy_fixture_all_cases() {
    let text = std::fs::read_to_string(PATH).expect("fixture file");
    let root: Value = serde_json::from_str(&text).expect("json");
    let cases = root["cases"].as_array().expect("cases");
    let (mut checked, mut underflow_ok, mut checked32, mut skipped32) =
        (0usize, 0usize, 0usize, 0usize);
    let mut failures: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (ci, case) in cases.iter().enumerate() {
        let dist = case["dist"].as_str().unwrap();
        let p = &case["params"];
        let xv = &case["x"];
        let pf = |k: &str| num(&p[k]);
        let xi = || xv.as_i64().unwrap();
        let got: Option<Got> = match dist {
            "normal" => Some(cont_all::<Normal>(num(xv), &[pf("mu"), pf("sigma")])),
            "half_normal" => Some(cont_all::<HalfNormal>(num(xv), &[pf("sigma")])),
            "laplace" => Some(cont_all::<DoubleExponential>(num(xv), &[pf("mu"), pf("b")])),
            "cauchy" => Some(cont_all::<Cauchy>(num(xv), &[pf("mu"), pf("sigma")])),
            "half_cauchy" => Some(cont_all::<HalfCauchy>(num(xv), &[pf("sigma")])),
            "lognormal" => Some(cont_all::<Lognormal>(num(xv), &[pf("mu"), pf("sigma")])),
            "student_t" => Some(cont_all::<StudentT>(
                num(xv),
                &[pf("nu"), pf("mu"), pf("sigma")],
            )),
            "half_student_t" => Some(cont_all::<HalfStudentT>(num(xv), &[pf("nu"), pf("sigma")])),
            "truncated_normal" => Some(trunc_normal(
                num(xv),
                pf("mu"),
                pf("sigma"),
                pf("lower"),
                pf("upper"),
            )),
            "exponential" => Some(cont_all::<Exponential>(num(xv), &[pf("rate")])),
            "gamma" => Some(cont_all::<Gamma>(num(xv), &[pf("alpha"), pf("beta")])),
            "inverse_gamma" => Some(cont_all::<InvGamma>(num(xv), &[pf("alpha"), pf("beta")])),
            "beta" => Some(cont_all::<Beta>(num(xv), &[pf("alpha"), pf("beta")])),
            "uniform" => Some(cont_all::<Uniform>(num(xv), &[pf("lower"), pf("upper")])),
            "weibull" => Some(cont_all::<Weibull>(num(xv), &[pf("alpha"), pf("sigma")])),
            "logistic" => Some(cont_all::<Logistic>(num(xv), &[pf("mu"), pf("s")])),
            "gumbel" => Some(cont_all::<Gumbel>(num(xv), &[pf("mu"), pf("beta")])),
            "chi_squared" => Some(cont_all::<ChiSquare>(num(xv), &[pf("nu")])),
            "von_mises" => Some(cont_pdf_only::<VonMises>(num(xv), &[pf("mu"), pf("kappa")])),
            "bernoulli" => Some(disc::<Bernoulli>(&[xi()], &[pf("p")], true)),
            "bernoulli_logit" => Some(disc_pmf::<BernoulliLogit>(&[xi()], &[pf("logit_p")])),
            "binomial" => Some(disc::<Binomial>(
                &[xi(), p["n"].as_i64().unwrap()],
                &[pf("p")],
                true,
            )),
            "poisson" => Some(disc::<Poisson>(&[xi()], &[pf("rate")], true)),
            "negative_binomial" => {
                Some(disc::<NegBinomial2>(&[xi()], &[pf("mu"), pf("phi")], true))
            }
            "beta_binomial" => Some(disc::<BetaBinomial>(
                &[xi(), p["n"].as_i64().unwrap()],
                &[pf("alpha"), pf("beta")],
                true,
            )),
            other => multivariate(other, xv, p),
        };
        let Some(got) = got else {
            unknown.push(dist.to_string());
            continue;
        };
        for (k, key) in ["logpdf", "logcdf", "logccdf"].iter().enumerate() {
            let Some(want_v) = case.get(*key) else {
                continue;
            };
            let want = num(want_v);
            let Some(g) = got.f64[k] else {
                failures.push(format!(
                    "#{ci} {dist} {key}: given in the fixture but not computed"
                ));
                continue;
            };
            checked += 1;
            let ok = if want == f64::NEG_INFINITY {
                if g == f64::NEG_INFINITY {
                    true
                } else if g < -708.0 {
                    underflow_ok += 1;
                    true
                } else if dist == "half_student_t" && pf("nu") == 1.0 && *key == "logcdf" {
                    let alt = half_cauchy_lcdf(num(xv), pf("sigma"));
                    underflow_ok += 1;
                    (g - alt).abs() <= 1e-8 * alt.abs()
                } else {
                    false
                }
            } else if want.is_nan() {
                g.is_nan()
            } else if want.is_infinite() {
                g == want
            } else {
                (g - want).abs() <= 1e-8 * want.abs().max(1.0)
            };
            if !ok {
                failures.push(format!(
                    "#{ci} {dist} {p} x={xv} {key}: got {g:e}, want {want:e}"
                ));
            }
            match got.f32[k] {
                Some((b, c)) if c.is_finite() && in_f32(c) => {
                    checked32 += 1;
                    if !((b - c).abs() <= 1e-4 * c.abs().max(1.0)) {
                        failures.push(format!("#{ci} {dist} {p} x={xv} {key} f32: got {b:e}, f64 at rounded inputs {c:e}"));
                    }
                }
                Some((b, c)) if c.is_infinite() => {
                    checked32 += 1;
                    if b != c && !(c == f64::NEG_INFINITY && b < -87.0) {
                        failures.push(format!(
                            "#{ci} {dist} {p} x={xv} {key} f32: got {b:e}, want {c:e}"
                        ));
                    }
                }
                _ => skipped32 += 1,
            }
        }
    }
    println!(
        "distributions fixture: {} cases, {checked} values checked in f64 ({underflow_ok} SciPy -inf underflows accepted), {checked32} in f32, {skipped32} f32 skipped",
        cases.len()
    );
    assert!(
        unknown.is_empty(),
        "distributions in the fixture with no kernel: {unknown:?}"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1000, "too few values checked: {checked}");
}
