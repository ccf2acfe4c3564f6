//! The peers' results (`shared/peers/results.csv`): one row per run of
//! another NUTS implementation on the same models, on the same machine kind.
//! We take the median per model × framework × chains, as `collect.py` does
//! for `RESULTS.md`.

use serde::Serialize;
use std::path::Path;

/// Frameworks in the order of the peers' tables; `nutpie-stan` is the fastest.
pub const FRAMEWORKS: [&str; 5] = ["nutpie", "nutpie-stan", "stan", "pymc", "numpyro"];

/// The fastest peer on this suite (highlighted in the tables).
pub const FASTEST: &str = "nutpie-stan";

/// One run of a peer (the columns of `results.csv` that we use).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeerRun {
    pub framework: String,
    pub model: String,
    pub chains: usize,
    pub seed: u64,
    pub sample_s: f64,
    pub n_grad: f64,
    pub divergences: f64,
    pub min_ess_bulk: f64,
    pub min_ess_tail: f64,
    pub ess_per_s: f64,
    pub grad_per_s: f64,
}

/// Medians over the seeds of one model × framework × chains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeerMedian {
    pub framework: String,
    pub model: String,
    pub chains: usize,
    pub runs: usize,
    pub sample_s: f64,
    pub n_grad: f64,
    pub divergences: f64,
    pub min_ess_bulk: f64,
    pub ess_per_s: f64,
    pub grad_per_s: f64,
}

/// Reads `results.csv` (plain comma-separated, a header line, no quoting).
pub fn read_csv(path: &Path) -> Result<Vec<PeerRun>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read peers file {}: {e}", path.display()))?;
    parse_csv(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the text of `results.csv`.
pub fn parse_csv(text: &str) -> Result<Vec<PeerRun>, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().ok_or("empty peers file")?.split(',').map(str::trim).collect();
    let col = |name: &str| header.iter().position(|h| *h == name).ok_or_else(|| format!("no column '{name}'"));
    let idx = [
        col("framework")?,
        col("model")?,
        col("chains")?,
        col("seed")?,
        col("sample_s")?,
        col("n_grad")?,
        col("divergences")?,
        col("min_ess_bulk")?,
        col("min_ess_tail")?,
        col("ess_per_s")?,
        col("grad_per_s")?,
    ];
    let mut runs = Vec::new();
    for (lineno, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != header.len() {
            return Err(format!("line {}: {} fields, header has {}", lineno + 2, f.len(), header.len()));
        }
        let num = |k: usize| -> Result<f64, String> {
            let s = f[idx[k]];
            if s.is_empty() {
                return Ok(f64::NAN);
            }
            s.parse::<f64>().map_err(|_| format!("line {}: '{s}' is not a number ({})", lineno + 2, header[idx[k]]))
        };
        let int = |k: usize| -> Result<u64, String> {
            f[idx[k]].parse::<u64>().map_err(|_| format!("line {}: '{}' is not an integer", lineno + 2, f[idx[k]]))
        };
        runs.push(PeerRun {
            framework: f[idx[0]].to_string(),
            model: f[idx[1]].to_string(),
            chains: int(2)? as usize,
            seed: int(3)?,
            sample_s: num(4)?,
            n_grad: num(5)?,
            divergences: num(6)?,
            min_ess_bulk: num(7)?,
            min_ess_tail: num(8)?,
            ess_per_s: num(9)?,
            grad_per_s: num(10)?,
        });
    }
    Ok(runs)
}

/// Medians per model × framework × chains (each field's own median, as
/// `collect.py` computes them).
pub fn medians(runs: &[PeerRun]) -> Vec<PeerMedian> {
    let mut keys: Vec<(String, String, usize)> = Vec::new();
    for r in runs {
        let k = (r.framework.clone(), r.model.clone(), r.chains);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(framework, model, chains)| {
            let sel: Vec<&PeerRun> =
                runs.iter().filter(|r| r.framework == framework && r.model == model && r.chains == chains).collect();
            let med = |f: fn(&PeerRun) -> f64| super::median(&sel.iter().map(|r| f(r)).collect::<Vec<_>>());
            PeerMedian {
                runs: sel.len(),
                sample_s: med(|r| r.sample_s),
                n_grad: med(|r| r.n_grad),
                divergences: med(|r| r.divergences),
                min_ess_bulk: med(|r| r.min_ess_bulk),
                ess_per_s: med(|r| r.ess_per_s),
                grad_per_s: med(|r| r.grad_per_s),
                framework,
                model,
                chains,
            }
        })
        .collect()
}

/// The median of `framework` on `model` with `chains` chains, if measured.
pub fn find<'a>(peers: &'a [PeerMedian], framework: &str, model: &str, chains: usize) -> Option<&'a PeerMedian> {
    peers.iter().find(|p| p.framework == framework && p.model == model && p.chains == chains)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/peers/");

    #[test]
    fn parses_and_rejects() {
        let text = "framework,model,chains,seed,sample_s,n_grad,divergences,min_ess_bulk,min_ess_tail,ess_per_s,grad_per_s,x\n\
                    a,m,1,1,2.0,10,0,100,90,50,5,z\n\
                    a,m,1,2,4.0,30,1,300,80,75,7.5,z\n\
                    a,m,1,3,3.0,20,2,200,70,66.7,6.7,\n";
        let runs = parse_csv(text).unwrap();
        assert_eq!(runs.len(), 3);
        let m = medians(&runs);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].runs, m[0].sample_s, m[0].n_grad, m[0].ess_per_s), (3, 3.0, 20.0, 66.7));
        assert!(parse_csv("framework,model\na,b\n").unwrap_err().contains("no column 'chains'"));
        let bad = text.replace("2.0,10", "2.0,ten");
        assert!(parse_csv(&bad).unwrap_err().contains("'ten' is not a number"));
        assert!(parse_csv("").is_err());
    }

    /// Our medians reproduce the "Median ESS/s, 1 chain" table of RESULTS.md
    /// (to its 3–5 significant digits) for every model and framework.
    #[test]
    fn medians_match_results_md() {
        let runs = read_csv(Path::new(&format!("{SHARED}results.csv"))).unwrap();
        let med = medians(&runs);
        let md = std::fs::read_to_string(format!("{SHARED}RESULTS.md")).unwrap();
        let table = md.split("## Median ESS/s, 1 chain").nth(1).unwrap();
        let mut checked = 0;
        for line in table.lines().skip_while(|l| !l.starts_with("| simple")).take_while(|l| l.starts_with('|')) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let model = cells[0];
            for (k, fw) in FRAMEWORKS.iter().enumerate() {
                let shown: f64 = cells[2 + k].replace(',', "").parse().unwrap();
                let ours = find(&med, fw, model, 1).unwrap().ess_per_s;
                assert!((ours - shown).abs() <= 0.006 * shown.abs().max(1.0), "{model}/{fw}: {ours} vs {shown}");
                checked += 1;
            }
        }
        assert_eq!(checked, 35);
    }
}
