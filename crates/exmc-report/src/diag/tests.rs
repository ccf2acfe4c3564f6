//! Edge cases and statistical checks of the public diagnostics (the ArviZ match is
//! in `tests/diagnostics_fixture.rs`).

use super::*;

/// Deterministic standard normals (SplitMix64 + Box–Muller), enough for tests.
pub(crate) fn normals(seed: u64, n: usize) -> Vec<f64> {
    // Scramble the seed so that adjacent seeds start far apart.
    let mut s = seed.wrapping_mul(0xD129_0E29_C0F3_BC8D) ^ 0x5851_F42D_4C95_7F2D;
    let mut next = || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let u = next().max(1e-300);
            let v = next();
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        })
        .collect()
}

#[test]
fn undefined_inputs_give_nan_not_panic() {
    let good = [0.1, 0.5, -0.3, 0.9, 1.2];
    let nan = [0.1, f64::NAN, -0.3, 0.9, 1.2];
    let inf = [0.1, f64::INFINITY, -0.3, 0.9, 1.2];
    let short = [0.1, 0.2, 0.3];
    let bad: [&[&[f64]]; 5] = [&[], &[&nan, &good], &[&inf, &good], &[&short, &short], &[&good, &short]];
    for c in bad {
        assert!(ess_bulk(c).is_nan());
        assert!(ess_tail(c).is_nan());
        assert!(ess_mean(c).is_nan());
        assert!(ess_quantile(c, 0.3).is_nan());
        assert!(mcse_mean(c).is_nan());
        assert!(mcse_sd(c).is_nan());
        assert!(mcse_quantile(c, 0.3).is_nan());
        assert!(quantile(c, 0.3).is_nan());
        assert_eq!(rhat(c), None);
        assert_eq!(rhat_split(c), None);
    }
    assert!(quantile(&[&good], 1.5).is_nan());
    assert!(ess_quantile(&[&good], -0.1).is_nan());
    assert!(e_bfmi(&[1.0]).is_nan());
    assert!(e_bfmi(&[1.0, 1.0, 1.0]).is_nan());
    assert!(e_bfmi(&[1.0, f64::NAN, 1.0]).is_nan());
}

#[test]
fn constant_draws_follow_arviz() {
    let c = [2.5; 100];
    let chains: [&[f64]; 3] = [&c, &c, &c];
    assert_eq!(ess_bulk(&chains), 300.0);
    assert_eq!(ess_mean(&chains), 300.0);
    assert_eq!(ess_tail(&chains), 300.0);
    assert_eq!(rhat(&chains), None);
    assert_eq!(mcse_mean(&chains), 0.0);
    assert!(mcse_sd(&chains).is_nan());
    assert_eq!(quantile(&chains, 0.3), 2.5);
}

#[test]
fn iid_normals_have_rhat_one_and_ess_near_n() {
    let m: Vec<Vec<f64>> = (0..4).map(|k| normals(k + 1, 5000)).collect();
    let c: Vec<&[f64]> = m.iter().map(Vec::as_slice).collect();
    let n = 20_000.0;
    // For iid draws ESS/N fluctuates by a few percent; 0.9..1.1 fails for AR(1) with ρ ≥ 0.05.
    for (what, e) in [("bulk", ess_bulk(&c)), ("mean", ess_mean(&c)), ("tail", ess_tail(&c))] {
        assert!((0.9 * n..1.1 * n).contains(&e), "ess_{what} = {e}");
    }
    let r = rhat(&c).expect("defined");
    assert!((1.0..1.005).contains(&r), "rhat {r}");
    // mcse of the mean of iid N(0,1): 1/sqrt(N); of the sd: 1/sqrt(2N).
    assert!((mcse_mean(&c) * n.sqrt() - 1.0).abs() < 0.05);
    assert!((mcse_sd(&c) * (2.0 * n).sqrt() - 1.0).abs() < 0.1);
    // mcse of the median: sqrt(p(1−p)/N)/φ(0) = sqrt(π/2)/sqrt(N) ≈ 1.2533/sqrt(N).
    let want = (std::f64::consts::PI / 2.0).sqrt() / n.sqrt();
    let got = mcse_quantile(&c, 0.5);
    assert!((got / want - 1.0).abs() < 0.15, "mcse_quantile(0.5) {got} vs {want}");
}

#[test]
fn autocorrelated_chain_has_lower_ess() {
    // AR(1) with ρ = 0.9: ESS/N ≈ (1 − ρ)/(1 + ρ) ≈ 0.053.
    let e = normals(9, 40_000);
    let mut x = vec![0.0; e.len()];
    for t in 1..x.len() {
        x[t] = 0.9 * x[t - 1] + e[t];
    }
    let chains: Vec<&[f64]> = x.chunks(10_000).collect();
    let rel = ess_mean(&chains) / 40_000.0;
    assert!((0.04..0.07).contains(&rel), "relative ESS {rel}");
}

#[test]
fn shifted_chain_raises_rhat() {
    let a = normals(3, 1000);
    let b: Vec<f64> = normals(4, 1000).iter().map(|v| v + 1.0).collect();
    let r = rhat(&[&a, &b]).expect("defined");
    assert!(r > 1.1, "rhat {r}");
}

#[test]
fn long_chains_are_fast() {
    let m: Vec<Vec<f64>> = (0..4).map(|k| normals(k + 10, 100_000)).collect();
    let c: Vec<&[f64]> = m.iter().map(Vec::as_slice).collect();
    let t = std::time::Instant::now();
    let e = ess_bulk(&c);
    let dt = t.elapsed();
    assert!(e.is_finite());
    // Generous bound (shared 2-core machine, debug-info build): O(n²) would take minutes.
    assert!(dt.as_secs_f64() < 2.0, "ess_bulk on 4 × 100 000 took {dt:?}");
    eprintln!("ess_bulk on 4 x 100000 draws: {dt:?}");
}

#[test]
fn normals_helper_is_standard_normal() {
    let x = normals(200, 100_000);
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / n;
    let q = quantile(&[&x], 0.05);
    assert!(m.abs() < 0.02 && (v - 1.0).abs() < 0.02 && (q + 1.6449).abs() < 0.03, "{m} {v} {q}");
    // Adjacent seeds give uncorrelated streams.
    let y = normals(201, 100_000);
    let r = x.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / n;
    assert!(r.abs() < 0.015, "correlation {r}");
}
