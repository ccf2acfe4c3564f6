//! Acceptance 5: the f32 forward agrees with the f64 forward at moderate
//! points. Both run on the same input (an f32 value widened exactly), so the
//! difference is the f32 arithmetic alone.

mod transform_util;

use transform_util::*;

#[test]
fn f32_forward_agrees_with_f64() {
    let mut rng = rng(51);
    for case in all_cases() {
        let (mut worst_x, mut worst_lj) = (0.0f64, 0.0f64);
        for _ in 0..20 {
            let y32 = to_f32(&random_y(&mut rng, case.free_len(), 1.0));
            let p32 = to_f32(&case.random_params(&mut rng));
            let y64: Vec<f64> = y32.iter().map(|&v| v as f64).collect();
            let p64: Vec<f64> = p32.iter().map(|&v| v as f64).collect();
            let (x32, lj32) = case.forward(&y32, &p32);
            let (x64, lj64) = case.forward(&y64, &p64);
            // relative to the largest entry of x: entries that are sums with
            // cancellation (e.g. a correlation near 0) cannot be better
            let xscale = x64.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(f64::MIN_POSITIVE);
            for (a, b) in x32.iter().zip(&x64) {
                worst_x = worst_x.max((*a as f64 - b).abs() / xscale);
            }
            worst_lj = worst_lj.max((lj32 as f64 - lj64).abs() / lj64.abs().max(1.0));
        }
        eprintln!("{:>40}: worst relative x {worst_x:.1e}, logJ {worst_lj:.1e}", case.name());
        assert!(worst_x <= 1e-5 && worst_lj <= 1e-5, "{}: f32 vs f64: x {worst_x:e}, logJ {worst_lj:e}", case.name());
    }
}
