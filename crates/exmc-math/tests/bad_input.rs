//! Bad parameters give a `DistError` naming the distribution and the
//! argument; extreme or NaN variates never panic.

use exmc_math::dist::*;

const BAD_POSITIVE: [f64; 4] = [0.0, -1.0, f64::NAN, f64::INFINITY];

/// For each parameter index in `positive`, every bad value must be rejected
/// by `lpdf` (and `lcdf`/`lccdf` when `cdf`) with the right names.
fn reject<D: Continuous>(
    good: &[f64],
    positive: &[usize],
    eval: &dyn Fn(f64, &[f64]) -> Vec<Result<f64, DistError>>,
) {
    for &k in positive {
        for &bad in &BAD_POSITIVE {
            let mut p = good.to_vec();
            p[k] = bad;
            for r in eval(1.0, &p) {
                let e = r.expect_err(&format!("{} {}={bad} accepted", D::NAME, D::PARAMS[k]));
                assert_eq!(e.dist, D::NAME);
                assert_eq!(e.arg, D::PARAMS[k], "{e}");
                assert!(e.to_string().contains(D::PARAMS[k]));
            }
        }
    }
}

fn with_cdf<D: Cdf>(x: f64, p: &[f64]) -> Vec<Result<f64, DistError>> {
    let mut d = [0.0; 8];
    vec![
        D::lpdf(x, p, &mut d),
        D::lcdf(x, p, &mut d),
        D::lccdf(x, p, &mut d),
    ]
}

/// Extreme variates: finite-or-(-inf) values and no panic; NaN x is an error.
fn extremes<D: Continuous>(good: &[f64]) {
    let mut d = [0.0; 8];
    for &x in &[1e300, -1e300, 0.0, 1e-300, f64::INFINITY, f64::NEG_INFINITY] {
        let v = D::lpdf(x, good, &mut d).expect("valid params");
        assert!(
            !v.is_nan() || x.is_infinite(),
            "{} lpdf({x}) = {v}",
            D::NAME
        );
        assert!(
            v != f64::INFINITY || x == 0.0,
            "{} lpdf({x}) = +inf",
            D::NAME
        );
    }
    assert_eq!(D::lpdf(f64::NAN, good, &mut d).unwrap_err().arg, "x");
}

fn extremes_cdf<D: Cdf>(good: &[f64]) {
    extremes::<D>(good);
    let mut d = [0.0; 8];
    for &x in &[1e300, -1e300, 0.0, 1e-300, f64::INFINITY, f64::NEG_INFINITY] {
        for v in [
            D::lcdf(x, good, &mut d).unwrap(),
            D::lccdf(x, good, &mut d).unwrap(),
        ] {
            assert!(!v.is_nan() && v <= 0.0, "{} cdf at {x}: {v}", D::NAME);
        }
    }
    assert_eq!(D::lcdf(f64::NAN, good, &mut d).unwrap_err().arg, "x");
}

#[test]
fn continuous_bad_parameters() {
    reject::<Normal>(&[0.0, 1.0], &[1], &with_cdf::<Normal>);
    reject::<HalfNormal>(&[1.0], &[0], &with_cdf::<HalfNormal>);
    reject::<StudentT>(&[3.0, 0.0, 1.0], &[0, 2], &with_cdf::<StudentT>);
    reject::<HalfStudentT>(&[3.0, 1.0], &[0, 1], &with_cdf::<HalfStudentT>);
    reject::<Cauchy>(&[0.0, 1.0], &[1], &with_cdf::<Cauchy>);
    reject::<HalfCauchy>(&[1.0], &[0], &with_cdf::<HalfCauchy>);
    reject::<DoubleExponential>(&[0.0, 1.0], &[1], &with_cdf::<DoubleExponential>);
    reject::<Logistic>(&[0.0, 1.0], &[1], &with_cdf::<Logistic>);
    reject::<Gumbel>(&[0.0, 1.0], &[1], &with_cdf::<Gumbel>);
    reject::<Lognormal>(&[0.0, 1.0], &[1], &with_cdf::<Lognormal>);
    reject::<Exponential>(&[1.0], &[0], &with_cdf::<Exponential>);
    reject::<Gamma>(&[2.0, 1.0], &[0, 1], &with_cdf::<Gamma>);
    reject::<InvGamma>(&[2.0, 1.0], &[0, 1], &with_cdf::<InvGamma>);
    reject::<Weibull>(&[2.0, 1.0], &[0, 1], &with_cdf::<Weibull>);
    reject::<Beta>(&[2.0, 1.0], &[0, 1], &with_cdf::<Beta>);
    reject::<ChiSquare>(&[3.0], &[0], &with_cdf::<ChiSquare>);
    // von Mises: kappa may be 0, not negative / NaN / inf
    let mut d = [0.0; 3];
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            VonMises::lpdf(0.0, &[0.0, bad], &mut d).unwrap_err().arg,
            "kappa"
        );
    }
    assert!(VonMises::lpdf(0.0, &[0.0, 0.0], &mut d).is_ok());
    // uniform: upper ≤ lower, non-finite bounds
    assert_eq!(
        Uniform::lpdf(0.5, &[1.0, 1.0], &mut d).unwrap_err().arg,
        "beta"
    );
    assert_eq!(
        Uniform::lpdf(0.5, &[f64::NAN, 1.0], &mut d)
            .unwrap_err()
            .arg,
        "alpha"
    );
    // location parameters must be finite
    assert_eq!(
        Normal::lpdf(0.5, &[f64::NAN, 1.0], &mut d).unwrap_err().arg,
        "mu"
    );
    assert_eq!(
        StudentT::lpdf(0.5, &[3.0, f64::INFINITY, 1.0], &mut [0.0; 4])
            .unwrap_err()
            .arg,
        "mu"
    );
    // f32 too
    let mut d32 = [0f32; 3];
    assert_eq!(
        Normal::lpdf(0.5f32, &[0.0, -1.0], &mut d32)
            .unwrap_err()
            .arg,
        "sigma"
    );
}

#[test]
fn continuous_extreme_variates() {
    extremes_cdf::<Normal>(&[0.0, 1.0]);
    extremes_cdf::<HalfNormal>(&[1.0]);
    extremes_cdf::<StudentT>(&[3.0, 0.0, 1.0]);
    extremes_cdf::<HalfStudentT>(&[3.0, 1.0]);
    extremes_cdf::<Cauchy>(&[0.0, 1.0]);
    extremes_cdf::<HalfCauchy>(&[1.0]);
    extremes_cdf::<DoubleExponential>(&[0.0, 1.0]);
    extremes_cdf::<Logistic>(&[0.0, 1.0]);
    extremes_cdf::<Gumbel>(&[0.0, 1.0]);
    extremes_cdf::<Lognormal>(&[0.0, 1.0]);
    extremes_cdf::<Exponential>(&[1.0]);
    extremes_cdf::<Gamma>(&[2.0, 1.0]);
    extremes_cdf::<InvGamma>(&[2.0, 1.0]);
    extremes_cdf::<Weibull>(&[2.0, 1.0]);
    extremes_cdf::<Beta>(&[2.0, 3.0]);
    extremes_cdf::<Uniform>(&[-1.0, 2.0]);
    extremes_cdf::<ChiSquare>(&[3.0]);
    let mut d = [0.0; 3];
    assert!(VonMises::lpdf(1e300f64, &[0.0, 1.0], &mut d)
        .unwrap()
        .is_finite());
}

#[test]
fn discrete_bad_arguments() {
    let mut d = [0.0; 2];
    for bad in [-0.1, 1.1, f64::NAN] {
        assert_eq!(
            Bernoulli::lpmf(&[1], &[bad], &mut d).unwrap_err().arg,
            "theta"
        );
        assert_eq!(
            Binomial::lpmf(&[1, 3], &[bad], &mut d).unwrap_err().arg,
            "theta"
        );
    }
    assert_eq!(Bernoulli::check_ints(&[2]).unwrap_err().arg, "n");
    assert_eq!(Binomial::check_ints(&[4, 3]).unwrap_err().arg, "n");
    assert_eq!(Binomial::check_ints(&[0, -1]).unwrap_err().arg, "N");
    assert_eq!(Poisson::check_ints(&[-1]).unwrap_err().arg, "n");
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            Poisson::lpmf(&[1], &[bad], &mut d).unwrap_err().arg,
            "lambda"
        );
    }
    for bad in BAD_POSITIVE {
        let e = NegBinomial2::lpmf(&[1], &[bad, 1.0], &mut d).unwrap_err();
        assert_eq!((e.dist, e.arg), ("neg_binomial_2", "mu"));
        assert_eq!(
            NegBinomial2::lpmf(&[1], &[1.0, bad], &mut d)
                .unwrap_err()
                .arg,
            "phi"
        );
        assert_eq!(
            BetaBinomial::lpmf(&[1, 3], &[bad, 1.0], &mut d)
                .unwrap_err()
                .arg,
            "alpha"
        );
        assert_eq!(
            BetaBinomial::lcdf(&[1, 3], &[1.0, bad], &mut d)
                .unwrap_err()
                .arg,
            "beta"
        );
        assert_eq!(
            NegBinomial2::lccdf(&[1], &[bad, 1.0], &mut d)
                .unwrap_err()
                .arg,
            "mu"
        );
    }
    assert_eq!(
        BernoulliLogit::lpmf(&[1], &[f64::NAN], &mut d)
            .unwrap_err()
            .arg,
        "alpha"
    );
    assert_eq!(
        PoissonLog::lpmf(&[1], &[f64::NAN], &mut d).unwrap_err().arg,
        "alpha"
    );
    // extreme but valid parameters: finite or −inf, never NaN
    for v in [
        BernoulliLogit::lpmf(&[1], &[1e300], &mut d).unwrap(),
        BernoulliLogit::lpmf(&[0], &[1e300], &mut d).unwrap(),
        PoissonLog::lpmf(&[3], &[-1e300], &mut d).unwrap(),
        Poisson::lpmf(&[3], &[0.0], &mut d).unwrap(),
        Binomial::lpmf(&[0, 3], &[0.0], &mut d).unwrap(),
        Binomial::lpmf(&[3, 3], &[1.0], &mut d).unwrap(),
    ] {
        assert!(!v.is_nan() && v <= 0.0, "{v}");
    }
}

#[test]
fn multivariate_bad_arguments() {
    let (mut dx, mut dm, mut ds, mut sc) = ([0.0; 2], [0.0; 2], [0.0; 4], [0.0; 4]);
    let not_spd = [1.0, 2.0, 2.0, 1.0];
    let e = multi_normal_lpdf(
        &[0.0, 0.0],
        &[0.0, 0.0],
        &not_spd,
        &mut dx,
        &mut dm,
        &mut ds,
        &mut sc,
    )
    .unwrap_err();
    assert_eq!((e.dist, e.arg), ("multi_normal", "Sigma"));
    let asym = [1.0, 0.5, 0.2, 1.0];
    assert_eq!(
        multi_normal_lpdf(
            &[0.0, 0.0],
            &[0.0, 0.0],
            &asym,
            &mut dx,
            &mut dm,
            &mut ds,
            &mut sc
        )
        .unwrap_err()
        .must_be,
        "symmetric"
    );
    let nan = [f64::NAN, 0.0, 0.0, 1.0];
    assert!(multi_normal_lpdf(
        &[0.0, 0.0],
        &[0.0, 0.0],
        &nan,
        &mut dx,
        &mut dm,
        &mut ds,
        &mut sc
    )
    .is_err());
    let bad_l = [1.0, 0.0, 0.3, -1.0];
    assert_eq!(
        multi_normal_cholesky_lpdf(&[0.0, 0.0], &[0.0, 0.0], &bad_l, &mut dx, &mut dm, &mut ds)
            .unwrap_err()
            .arg,
        "L"
    );
    assert_eq!(
        multi_normal_cholesky_lpdf(&[0.0], &[0.0, 0.0], &bad_l, &mut dx, &mut dm, &mut ds)
            .unwrap_err()
            .arg,
        "mu"
    );
    let mut d3 = [0.0; 3];
    assert_eq!(
        categorical_lpmf(0, &[0.5, 0.6], &mut d3).unwrap_err().arg,
        "theta"
    );
    assert_eq!(
        categorical_lpmf(2, &[0.5, 0.5], &mut d3).unwrap_err().arg,
        "n"
    );
    assert_eq!(
        categorical_logit_lpmf(0, &[f64::NAN, 0.0], &mut d3)
            .unwrap_err()
            .arg,
        "beta"
    );
    let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
    assert_eq!(
        dirichlet_lpdf(&[0.5, 0.5], &[1.0, 0.0], &mut a, &mut b)
            .unwrap_err()
            .arg,
        "alpha"
    );
    assert_eq!(
        dirichlet_lpdf(&[0.5, 0.6], &[1.0, 1.0], &mut a, &mut b)
            .unwrap_err()
            .arg,
        "x"
    );
    let mut de = 0.0;
    assert_eq!(
        lkj_corr_lpdf(&[1.0, 0.0, 0.0, 1.0], 2, -1.0, &mut ds, &mut de, &mut sc)
            .unwrap_err()
            .arg,
        "eta"
    );
    assert_eq!(
        lkj_corr_lpdf(&[2.0, 0.0, 0.0, 1.0], 2, 1.0, &mut ds, &mut de, &mut sc)
            .unwrap_err()
            .arg,
        "Omega"
    );
    assert_eq!(
        lkj_corr_lpdf(&[1.0, 1.5, 1.5, 1.0], 2, 1.0, &mut ds, &mut de, &mut sc)
            .unwrap_err()
            .arg,
        "Omega"
    );
    assert_eq!(
        lkj_corr_cholesky_lpdf(&[1.0, 0.0, 0.5, 0.0], 2, 1.0, &mut ds, &mut de)
            .unwrap_err()
            .arg,
        "L"
    );
    let mut dm3 = [0.0; 3];
    assert_eq!(log_mix(1.5, -1.0, -2.0, &mut dm3).unwrap_err().arg, "theta");
    assert_eq!(
        log_mix(0.5, f64::NAN, -2.0, &mut dm3).unwrap_err().arg,
        "lp"
    );
    assert_eq!(
        log_mix_vec(&[0.5, 0.6], &[-1.0, -2.0], &mut a, &mut b)
            .unwrap_err()
            .arg,
        "theta"
    );
    let (mut dx, mut di, mut dsg) = ([0.0; 3], [0.0; 2], 0.0);
    for bad in BAD_POSITIVE {
        assert_eq!(
            gaussian_random_walk_lpdf(&[0.0, 1.0, 2.0], None, bad, &mut dx, &mut di, &mut dsg)
                .unwrap_err()
                .arg,
            "sigma"
        );
        assert_eq!(
            gaussian_random_walk_lpdf(
                &[0.0, 1.0, 2.0],
                Some((0.0, bad)),
                1.0,
                &mut dx,
                &mut di,
                &mut dsg
            )
            .unwrap_err()
            .arg,
            "sigma0"
        );
    }
    // truncation: bounds out of order, NaN bound, x outside → −inf
    let mut d = [0.0; 5];
    assert!(truncated_lpdf::<Normal, f64>(0.0, &[0.0, 1.0], Some(1.0), Some(0.0), &mut d).is_err());
    assert!(truncated_lpdf::<Normal, f64>(0.0, &[0.0, 1.0], Some(f64::NAN), None, &mut d).is_err());
    assert_eq!(
        truncated_lpdf::<Normal, f64>(2.0, &[0.0, 1.0], Some(-1.0), Some(1.0), &mut d).unwrap(),
        f64::NEG_INFINITY
    );
    assert!(d.iter().all(|&g| g == 0.0));
    assert_eq!(
        truncated_lpdf::<Normal, f64>(0.0, &[0.0, -1.0], Some(-1.0), Some(1.0), &mut d)
            .unwrap_err()
            .arg,
        "sigma"
    );
    // far-tail truncation stays finite: normal(0,1) T[30, 31] at 30.5
    let v =
        truncated_lpdf::<Normal, f64>(30.5, &[0.0, 1.0], Some(30.0), Some(31.0), &mut d).unwrap();
    assert!(v.is_finite(), "{v}");
    let mut d4 = [0.0; 4];
    assert!(log_interval_prob::<Normal, f64>(1.0, 0.0, &[0.0, 1.0], &mut d4).is_err());
}
