//! One posteriordb posterior as the validator needs it: the entry of
//! `index.json` (names, the sampler control Stan used) and the reference
//! summaries of `<folder>/reference.json`.
//!
//! Per reference quantity: the mean and sd over the 10 000 reference draws,
//! the MCSE of the mean (`posteriordb_summary.mcse_mean`) and the MCSE of the
//! sd. The latter is computed from the reference draws
//! ([`exmc_report::diag::mcse_sd`], 10 chains × 1000) where they exist, and
//! otherwise (summary-only posteriors) as for a normal posterior with the
//! reference's effective sample size `ess = (sd / mcse_mean)²`:
//! `mcse(sd) ≈ sd / sqrt(2 ess) = mcse_mean / √2`. (The delta method on
//! `sd = sqrt(E[x²] − E[x]²)` needs the correlation of the two summaries,
//! which posteriordb does not give; without it the MCSE is grossly
//! overestimated whenever |E[x]| ≫ sd.)

use exmc_report::diag::mcse_sd;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The sampler control posteriordb used for the reference draws.
#[derive(Clone, Debug, PartialEq)]
pub struct StanControl {
    /// `adapt_delta` (0.8 when not given).
    pub adapt_delta: f64,
    /// `max_treedepth` (10 when not given).
    pub max_treedepth: usize,
}

/// An entry of `index.json` (`posteriors` or `summary_only`).
#[derive(Clone, Debug)]
pub struct IndexEntry {
    /// `arma-arma11`.
    pub name: String,
    /// `arma11` (the basename of posteriordb's program).
    pub model_name: String,
    /// Folder of `data.json` and `reference.json` under the posteriordb folder.
    pub folder: PathBuf,
    pub control: StanControl,
    /// Whether `reference.json` holds draws (false for summary-only entries).
    pub draws_available: bool,
}

/// Reference values of one posterior, one entry per quantity.
#[derive(Clone, Debug)]
pub struct ReferenceSummary {
    pub names: Vec<String>,
    pub mean: Vec<f64>,
    pub mcse_mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub mcse_sd: Vec<f64>,
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", path.display()))
}

/// Reads `index.json` of a posteriordb folder: every entry of `posteriors`
/// then of `summary_only`, in file order.
pub fn read_index(posteriordb: &Path) -> Result<Vec<IndexEntry>, String> {
    let path = posteriordb.join("index.json");
    let v = read_json(&path)?;
    let mut out = Vec::new();
    for list in ["posteriors", "summary_only"] {
        let Some(items) = v.get(list).and_then(Value::as_array) else {
            continue;
        };
        for item in items {
            out.push(entry(item, posteriordb).map_err(|e| format!("{}: {list}: {e}", path.display()))?);
        }
    }
    if out.is_empty() {
        return Err(format!("{}: no posteriors listed", path.display()));
    }
    Ok(out)
}

fn entry(item: &Value, root: &Path) -> Result<IndexEntry, String> {
    let s = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
    let name = s("name").ok_or("an entry has no 'name'")?;
    let folder = s("folder").unwrap_or_else(|| name.clone());
    let model_name = s("model_name").unwrap_or_else(|| name.rsplit('-').next().unwrap_or(&name).to_string());
    let ctl = item.get("reference_stan_control");
    let adapt_delta = ctl.and_then(|c| c.get("adapt_delta")).and_then(Value::as_f64).unwrap_or(0.8);
    let max_treedepth = ctl.and_then(|c| c.get("max_treedepth")).and_then(Value::as_u64).unwrap_or(10) as usize;
    let draws_available = item.get("draws_available").and_then(Value::as_bool).unwrap_or(true);
    Ok(IndexEntry {
        name,
        model_name,
        folder: root.join(folder),
        control: StanControl { adapt_delta, max_treedepth },
        draws_available,
    })
}

impl ReferenceSummary {
    /// Reads `<folder>/reference.json`.
    pub fn load(folder: &Path) -> Result<ReferenceSummary, String> {
        let path = folder.join("reference.json");
        Self::from_json(&read_json(&path)?).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn from_json(v: &Value) -> Result<ReferenceSummary, String> {
        let names: Vec<String> = v
            .get("parameter_names")
            .and_then(Value::as_array)
            .ok_or("no 'parameter_names'")?
            .iter()
            .map(|n| n.as_str().map(str::to_string).ok_or("a parameter name is not a string"))
            .collect::<Result<_, _>>()?;
        let summary = v.get("posteriordb_summary").ok_or("no 'posteriordb_summary'")?;
        let get = |obj: Option<&Value>, what: &str, name: &str| -> Result<f64, String> {
            obj.and_then(|o| o.get(name)).and_then(Value::as_f64).ok_or_else(|| format!("no {what} for '{name}'"))
        };
        let draws = v.get("draws").filter(|d| d.is_object());
        let mut r = ReferenceSummary {
            names: names.clone(),
            mean: Vec::new(),
            mcse_mean: Vec::new(),
            sd: Vec::new(),
            mcse_sd: Vec::new(),
        };
        for n in &names {
            let mean = get(v.get("mean"), "mean", n)?;
            let sd = get(v.get("sd"), "sd", n)?;
            let mcse_m = get(summary.get("mcse_mean"), "posteriordb_summary.mcse_mean", n)?;
            let mcse_s = match draws.and_then(|d| d.get(n)) {
                Some(chains) => draws_mcse_sd(chains)
                    .ok_or_else(|| format!("reference draws of '{n}' are not a chains × draws array of numbers"))?,
                None => mcse_m / std::f64::consts::SQRT_2,
            };
            r.mean.push(mean);
            r.sd.push(sd);
            r.mcse_mean.push(mcse_m);
            r.mcse_sd.push(mcse_s);
        }
        Ok(r)
    }
}

fn draws_mcse_sd(chains: &Value) -> Option<f64> {
    let chains: Vec<Vec<f64>> = chains
        .as_array()?
        .iter()
        .map(|c| c.as_array().and_then(|xs| xs.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>()))
        .collect::<Option<_>>()?;
    let slices: Vec<&[f64]> = chains.iter().map(Vec::as_slice).collect();
    let m = mcse_sd(&slices);
    m.is_finite().then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/posteriordb"))
    }

    #[test]
    fn index_lists_posteriors_and_summary_only_with_control() {
        let idx = read_index(&shared()).unwrap();
        let arma = idx.iter().find(|e| e.name == "arma-arma11").unwrap();
        assert_eq!(arma.model_name, "arma11");
        assert_eq!(arma.control, StanControl { adapt_delta: 0.8, max_treedepth: 10 });
        assert!(arma.draws_available);
        let gp = idx.iter().find(|e| e.name == "gp_pois_regr-gp_regr").unwrap();
        assert_eq!(gp.control, StanControl { adapt_delta: 0.99, max_treedepth: 15 });
        let accel = idx.iter().find(|e| e.name == "mcycle_gp-accel_gp").unwrap();
        assert!(!accel.draws_available);
    }

    #[test]
    fn reference_mcse_sd_from_draws_is_about_the_normal_approximation() {
        // arma11's posterior is close to normal and its reference draws close
        // to independent: mcse(sd) ≈ sd / sqrt(2 · 10 000) ≈ mcse_mean / √2.
        let folder = shared().join("arma-arma11");
        let r = ReferenceSummary::load(&folder).unwrap();
        assert_eq!(r.names, ["mu", "phi", "theta", "sigma"]);
        for j in 0..r.names.len() {
            let normal = r.mcse_mean[j] / std::f64::consts::SQRT_2;
            let ratio = r.mcse_sd[j] / normal;
            assert!((0.7..1.4).contains(&ratio), "{}: draws {} vs normal {normal}", r.names[j], r.mcse_sd[j]);
        }
    }

    #[test]
    fn summary_only_reference_loads() {
        let r = ReferenceSummary::load(&shared().join("mcycle_gp-accel_gp")).unwrap();
        assert_eq!(r.names.len(), 66);
        assert!(r.mcse_sd.iter().all(|m| m.is_finite() && *m > 0.0));
    }

    #[test]
    fn missing_fields_are_errors_not_panics() {
        let v: Value = serde_json::json!({"parameter_names": ["a"], "posteriordb_summary": {}});
        let e = ReferenceSummary::from_json(&v).unwrap_err();
        assert!(e.contains("'a'"), "{e}");
        assert!(ReferenceSummary::from_json(&serde_json::json!({})).is_err());
    }
}
