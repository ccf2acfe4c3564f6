//! Each benchmark model written in Stan (`models/bench/*.stan`) lowers to the
//! same log density (up to an additive constant: Stan programs may use a
//! normal prior on a positive parameter where the builder uses half_normal)
//! and the same gradient (1e-10 relative) as its builder-API version.

use exmc::bench_models;
use exmc::LogDensity;
use exmc_stan::StanModel;

fn stan_model(name: &str) -> StanModel {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/bench/");
    let src = std::fs::read_to_string(format!("{dir}{name}.stan")).unwrap();
    let data: serde_json::Value = serde_json::from_str(bench_models::data_json(name).unwrap()).unwrap();
    match StanModel::build(&src, &format!("{name}.stan"), &data) {
        Ok(m) => m,
        Err(d) => panic!("{name}: {}", exmc_stan::render_diagnostics(&d, name, &src)),
    }
}

#[test]
fn stan_and_builder_versions_agree() {
    for name in bench_models::NAMES {
        let stan = stan_model(name);
        let builder = bench_models::by_name(name).unwrap().compile().unwrap();
        assert_eq!(stan.compiled.dim(), builder.dim(), "{name}");
        assert_eq!(stan.compiled.param_names(), builder.param_names(), "{name}: parameter order");
        let (mut ds, mut db) = (stan.compiled.density::<f64>(), builder.density::<f64>());
        let mut offset = None;
        for k in 0..4 {
            let y: Vec<f64> = (0..builder.dim()).map(|i| ((i * 7 + k * 13) as f64 * 0.37).sin() * 0.9).collect();
            let (mut gs, mut gb) = (vec![0.0; y.len()], vec![0.0; y.len()]);
            let ls = ds.logp_grad(&y, &mut gs).unwrap();
            let lb = db.logp_grad(&y, &mut gb).unwrap();
            let d = ls - lb;
            let o = *offset.get_or_insert(d);
            assert!((d - o).abs() <= 1e-10 * lb.abs().max(1.0), "{name}: log density differs by a non-constant ({d} vs {o})");
            for i in 0..y.len() {
                assert!((gs[i] - gb[i]).abs() <= 1e-10 * gb[i].abs().max(1.0), "{name}: gradient {i}: {} vs {}", gs[i], gb[i]);
            }
        }
    }
}

#[test]
fn output_names_follow_cmdstan() {
    let m = stan_model("eight_schools");
    assert_eq!(m.output_names[..4], ["mu", "tau", "theta[1]", "theta[2]"]);
}
