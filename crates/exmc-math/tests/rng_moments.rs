//! Generators: a seeded moment check per distribution. The sample mean of
//! 20 000 draws must lie within 5 standard errors (sample sd / √n) of the
//! theoretical mean; for the Cauchy family (no mean) the sample median is
//! checked against the median with its asymptotic standard error
//! `1/(2 f(m) √n)`. Also: invalid parameters give NaN / −1, never a panic.

use exmc_math::dist::*;
use exmc_math::special::{bessel_i1_over_i0, lgamma_f64};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const N: usize = 20_000;

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

fn check_mean(name: &str, xs: &[f64], want: f64) {
    assert!(xs.iter().all(|x| x.is_finite()), "{name}: non-finite draw");
    let (m, sd) = mean_sd(xs);
    let se = sd / (xs.len() as f64).sqrt();
    assert!(
        (m - want).abs() <= 5.0 * se,
        "{name}: mean {m} vs {want} (se {se})"
    );
}

fn draws<D: Continuous>(seed: u64, p: &[f64]) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..N).map(|_| D::rng(&mut rng, p)).collect()
}

fn ddraws<D: Discrete>(seed: u64, n: &[i64], p: &[f64]) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..N).map(|_| D::rng(&mut rng, n, p) as f64).collect()
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

fn gamma_fn(x: f64) -> f64 {
    lgamma_f64(x).exp()
}

#[test]
fn continuous_generators_have_the_right_mean() {
    let pi = std::f64::consts::PI;
    check_mean("normal", &draws::<Normal>(1, &[1.5, 2.0]), 1.5);
    check_mean(
        "half_normal",
        &draws::<HalfNormal>(2, &[2.0]),
        2.0 * (2.0 / pi).sqrt(),
    );
    check_mean("student_t", &draws::<StudentT>(3, &[5.0, -1.0, 2.0]), -1.0);
    let nu: f64 = 5.0;
    let hst = 2.0 * 1.5 * nu.sqrt() * gamma_fn(0.5 * (nu + 1.0))
        / (pi.sqrt() * gamma_fn(0.5 * nu) * (nu - 1.0));
    check_mean(
        "half_student_t",
        &draws::<HalfStudentT>(4, &[5.0, 1.5]),
        hst,
    );
    check_mean(
        "double_exponential",
        &draws::<DoubleExponential>(5, &[0.7, 1.3]),
        0.7,
    );
    check_mean("logistic", &draws::<Logistic>(6, &[-2.0, 0.5]), -2.0);
    check_mean(
        "gumbel",
        &draws::<Gumbel>(7, &[1.0, 2.0]),
        1.0 + 2.0 * 0.577_215_664_901_532_9,
    );
    check_mean(
        "lognormal",
        &draws::<Lognormal>(8, &[0.3, 0.5]),
        (0.3f64 + 0.125).exp(),
    );
    check_mean("exponential", &draws::<Exponential>(9, &[2.5]), 0.4);
    check_mean("gamma", &draws::<Gamma>(10, &[3.0, 2.0]), 1.5);
    check_mean("inv_gamma", &draws::<InvGamma>(11, &[4.0, 3.0]), 1.0);
    check_mean(
        "weibull",
        &draws::<Weibull>(12, &[1.5, 2.0]),
        2.0 * gamma_fn(1.0 + 1.0 / 1.5),
    );
    check_mean("beta", &draws::<Beta>(13, &[2.0, 5.0]), 2.0 / 7.0);
    check_mean("uniform", &draws::<Uniform>(14, &[-1.0, 3.0]), 1.0);
    check_mean("chi_square", &draws::<ChiSquare>(15, &[4.0]), 4.0);
    // von Mises: E[cos(x − μ)] = I₁(κ)/I₀(κ), E[sin(x − μ)] = 0
    let vm = draws::<VonMises>(16, &[0.5, 2.0]);
    let c: Vec<f64> = vm.iter().map(|x| (x - 0.5).cos()).collect();
    let s: Vec<f64> = vm.iter().map(|x| (x - 0.5).sin()).collect();
    check_mean("von_mises cos", &c, bessel_i1_over_i0(2.0f64));
    check_mean("von_mises sin", &s, 0.0);
    // Cauchy family: medians
    let n_sqrt = (N as f64).sqrt();
    let mut c = draws::<Cauchy>(17, &[2.0, 0.5]);
    let se = pi * 0.5 / (2.0 * n_sqrt);
    let m = median(&mut c);
    assert!((m - 2.0).abs() <= 5.0 * se, "cauchy median {m}");
    let mut hc = draws::<HalfCauchy>(18, &[1.5]);
    let se = 1.0 / (2.0 * (2.0 / (pi * 1.5 * 2.0)) * n_sqrt);
    let m = median(&mut hc);
    assert!((m - 1.5).abs() <= 5.0 * se, "half_cauchy median {m}");
}

#[test]
fn discrete_generators_have_the_right_mean() {
    check_mean("bernoulli", &ddraws::<Bernoulli>(21, &[0], &[0.3]), 0.3);
    check_mean(
        "bernoulli_logit",
        &ddraws::<BernoulliLogit>(22, &[0], &[1.0]),
        exmc_math::special::inv_logit(1.0f64),
    );
    check_mean("binomial", &ddraws::<Binomial>(23, &[0, 20], &[0.3]), 6.0);
    check_mean(
        "binomial_logit",
        &ddraws::<BinomialLogit>(24, &[0, 20], &[-0.5]),
        20.0 * exmc_math::special::inv_logit(-0.5f64),
    );
    check_mean("poisson", &ddraws::<Poisson>(25, &[0], &[3.5]), 3.5);
    check_mean(
        "poisson_log",
        &ddraws::<PoissonLog>(26, &[0], &[1.2]),
        1.2f64.exp(),
    );
    check_mean(
        "neg_binomial_2",
        &ddraws::<NegBinomial2>(27, &[0], &[4.0, 1.5]),
        4.0,
    );
    check_mean(
        "beta_binomial",
        &ddraws::<BetaBinomial>(28, &[0, 12], &[2.0, 3.0]),
        12.0 * 0.4,
    );
}

#[test]
fn invalid_parameters_never_panic_in_generators() {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    assert!(Normal::rng(&mut rng, &[0.0, -1.0]).is_nan());
    for bad in [-1.0, 0.0, f64::NAN] {
        assert!(Gamma::rng(&mut rng, &[bad, 1.0]).is_nan());
        assert!(Beta::rng(&mut rng, &[1.0, bad]).is_nan());
        assert!(StudentT::rng(&mut rng, &[bad, 0.0, 1.0]).is_nan());
        assert!(Exponential::rng(&mut rng, &[bad]).is_nan());
        assert!(Weibull::rng(&mut rng, &[bad, 1.0]).is_nan());
        assert!(Cauchy::rng(&mut rng, &[0.0, bad]).is_nan());
        assert!(VonMises::rng(&mut rng, &[0.0, if bad == 0.0 { -2.0 } else { bad }]).is_nan());
        assert_eq!(NegBinomial2::rng(&mut rng, &[0], &[1.0, bad]), -1);
    }
    assert_eq!(Poisson::rng(&mut rng, &[0], &[f64::NAN]), -1);
    assert_eq!(Binomial::rng(&mut rng, &[0, 5], &[1.5]), -1);
}
