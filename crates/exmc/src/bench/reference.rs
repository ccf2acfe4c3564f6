//! Agreement with the reference posteriors (`shared/bench-models/reference/`).
//!
//! For each reference quantity, with our pooled draws:
//! `z_mean = (mean − ref_mean) / sqrt(mcse_mean² + ref_mcse_mean²)` and
//! `z_sd = (sd − ref_sd) / sqrt(mcse_sd² + ref_mcse_sd²)`.
//! The reference mean and its MCSE come from `posteriordb_summary`. The
//! reference sd is the exact one (`cross_check.exact_sd`, MCSE 0) where the
//! file has it — for the funnel the sample sd of `x` is useless, see the
//! README there — else the sample `sd` with the delta-method MCSE
//! `sqrt(mcse(E[x²])² + 4 E[x]² mcse(E[x])²) / (2 sd)` (correlation ignored;
//! with 10 000 reference draws against our 1 000 it is the minor term).
//!
//! A model counts as "agreeing" when max |z| over its quantities is small;
//! with d quantities, max |z| of d independent N(0, 1) is about
//! `sqrt(2 ln d)` (≈ 2.1 for d = 10, 3.0 for d = 102). On eight_schools and
//! funnel, read the divergences, not the z.

use exmc_report::diag::{mcse_mean, mcse_sd};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// One model's reference: per quantity, mean and sd with their MCSEs.
#[derive(Clone, Debug)]
pub struct Reference {
    pub names: Vec<String>,
    pub mean: Vec<f64>,
    pub mcse_mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub mcse_sd: Vec<f64>,
}

/// The worst agreement of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    pub max_abs_z_mean: f64,
    pub worst_mean: String,
    pub max_abs_z_sd: f64,
    pub worst_sd: String,
}

impl Reference {
    /// Reads `dir/model.json`.
    pub fn load(dir: &Path, model: &str) -> Result<Reference, String> {
        let path = dir.join(format!("{model}.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read reference {}: {e}", path.display()))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::from_json(&v).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_json(v: &Value) -> Result<Reference, String> {
        let names: Vec<String> = v["parameter_names"]
            .as_array()
            .ok_or("no parameter_names")?
            .iter()
            .map(|n| n.as_str().map(String::from).ok_or("parameter name is not a string"))
            .collect::<Result<_, _>>()?;
        let get = |obj: &Value, what: &str, name: &str| -> Result<f64, String> {
            obj.get(name).and_then(Value::as_f64).ok_or_else(|| format!("no {what} for '{name}'"))
        };
        let pdb = &v["posteriordb_summary"];
        let exact_sd = v["cross_check"].get("exact_sd");
        let mut r = Reference { names: names.clone(), mean: vec![], mcse_mean: vec![], sd: vec![], mcse_sd: vec![] };
        for n in &names {
            let m = get(&pdb["mean"], "mean", n)?;
            let mm = get(&pdb["mcse_mean"], "mcse_mean", n)?;
            r.mean.push(m);
            r.mcse_mean.push(mm);
            match exact_sd.and_then(|e| e.get(n)).and_then(Value::as_f64) {
                Some(sd) => {
                    r.sd.push(sd);
                    r.mcse_sd.push(0.0);
                }
                None => {
                    let sd = get(&v["sd"], "sd", n)?;
                    let m2 = get(&pdb["mcse_mean_squared"], "mcse_mean_squared", n)?;
                    r.sd.push(sd);
                    r.mcse_sd.push((m2 * m2 + 4.0 * m * m * mm * mm).sqrt() / (2.0 * sd));
                }
            }
        }
        Ok(r)
    }

    /// Compares our draws (`columns[j][chain]` for the quantity `our_names[j]`)
    /// with the reference. Quantities of the reference that we do not
    /// report are an error (the model would not be the same).
    pub fn compare(&self, our_names: &[String], columns: &[Vec<Vec<f64>>]) -> Result<Agreement, String> {
        let mut a = Agreement {
            max_abs_z_mean: 0.0,
            worst_mean: String::new(),
            max_abs_z_sd: 0.0,
            worst_sd: String::new(),
        };
        for (k, name) in self.names.iter().enumerate() {
            let j = our_names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| format!("the reference has '{name}' but the model does not report it"))?;
            let chains: Vec<&[f64]> = columns[j].iter().map(|c| c.as_slice()).collect();
            let all: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
            let n = all.len() as f64;
            let mean = all.iter().sum::<f64>() / n;
            let sd = (all.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)).sqrt();
            let zm = (mean - self.mean[k]) / (mcse_mean(&chains).powi(2) + self.mcse_mean[k].powi(2)).sqrt();
            let zs = (sd - self.sd[k]) / (mcse_sd(&chains).powi(2) + self.mcse_sd[k].powi(2)).sqrt();
            if worse(zm, a.max_abs_z_mean) {
                a.max_abs_z_mean = zm.abs();
                a.worst_mean = name.clone();
            }
            if worse(zs, a.max_abs_z_sd) {
                a.max_abs_z_sd = zs.abs();
                a.worst_sd = name.clone();
            }
        }
        Ok(a)
    }
}

/// Whether `z` is worse than the current worst `|z|`: a NaN (e.g. from a
/// stuck chain) is worse than any number and stays.
fn worse(z: f64, current: f64) -> bool {
    !current.is_nan() && (z.is_nan() || z.abs() > current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand::Rng;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench-models/reference");

    fn draws(mean: f64, sd: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // Box–Muller.
        let mut normal = move || {
            let (u, v): (f64, f64) = (1.0 - rng.random::<f64>(), rng.random());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        };
        (0..4).map(|_| (0..1000).map(|_| mean + sd * normal()).collect()).collect()
    }

    /// i.i.d. draws from N(ref mean, ref sd) agree (|z| small); shifting one
    /// quantity's mean by 10 MCSE is caught and named.
    #[test]
    fn simple_reference_agrees_with_matching_draws_and_catches_a_shift() {
        let r = Reference::load(Path::new(DIR), "simple").unwrap();
        assert_eq!(r.names, ["mu", "sigma"]);
        let names = r.names.clone();
        let cols: Vec<_> = (0..2).map(|k| draws(r.mean[k], r.sd[k], k as u64)).collect();
        let a = r.compare(&names, &cols).unwrap();
        assert!(a.max_abs_z_mean < 4.0 && a.max_abs_z_sd < 4.0, "{a:?}");
        let shift = 10.0 * r.sd[1] / 2000f64.sqrt();
        let cols2 = vec![cols[0].clone(), draws(r.mean[1] + shift, r.sd[1], 1)];
        let b = r.compare(&names, &cols2).unwrap();
        assert!(b.max_abs_z_mean > 6.0 && b.worst_mean == "sigma", "{b:?}");
        assert!(r.compare(&["mu".to_string()], &cols[..1]).unwrap_err().contains("'sigma'"));
    }

    /// Funnel: the exact sd (exp(9/4) for x) is used, with zero MCSE.
    #[test]
    fn funnel_uses_exact_sd() {
        let r = Reference::load(Path::new(DIR), "funnel").unwrap();
        let k = r.names.iter().position(|n| n == "x[1]").unwrap();
        assert!((r.sd[k] - (9.0f64 / 4.0).exp()).abs() < 1e-9);
        assert_eq!(r.mcse_sd[k], 0.0);
    }
}
