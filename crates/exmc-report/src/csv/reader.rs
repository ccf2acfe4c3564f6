//! Reader for CmdStan CSV files (ours and CmdStan's own).
//!
//! Accepts comments anywhere, the configuration block before the column header, the
//! adaptation block, warmup rows (when `save_warmup = 1`/`true` in the header), and the
//! closing timing block, which may be missing (an interrupted run). Malformed input
//! gives a [`CsvError`] naming the file and the line.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::format::parse_f64;
use super::header::Metric;
use super::names::csv_to_stan_name;
use crate::draws::ChainDraws;

/// An error reading a CSV file: which file, which line (1-based) when known, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for CsvError {}

/// Settings read from the configuration comments. `settings` keeps every
/// `key = value` line in order with its section path (`sample.adapt.delta`,
/// `random.seed`, `data.file`), the ` (Default)` marker removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsvConfig {
    pub model: Option<String>,
    pub num_samples: Option<usize>,
    pub num_warmup: Option<usize>,
    pub save_warmup: bool,
    pub thin: Option<usize>,
    pub seed: Option<u64>,
    pub chain_id: Option<usize>,
    pub max_depth: Option<usize>,
    pub adapt_delta: Option<f64>,
    pub metric: Option<String>,
    pub settings: Vec<(String, String)>,
}

impl CsvConfig {
    /// The value of the first setting whose path ends with `key` (e.g. `"seed"`,
    /// `"adapt.delta"`, `"data.file"`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|(k, _)| k == key || k.ends_with(&format!(".{key}")))
            .map(|(_, v)| v.as_str())
    }
}

/// Elapsed times from the closing block, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub warmup: f64,
    pub sampling: f64,
    pub total: f64,
}

/// The content of one CmdStan CSV file. Rows are iterations; `column_names` are the
/// names as written in the file (`theta.1`).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvDraws {
    pub path: PathBuf,
    pub column_names: Vec<String>,
    /// Warmup iterations (only when the file saved them).
    pub warmup: Vec<Vec<f64>>,
    /// Post-warmup iterations.
    pub draws: Vec<Vec<f64>>,
    pub config: CsvConfig,
    pub step_size: Option<f64>,
    pub inv_metric: Option<Metric>,
    pub timing: Option<Timing>,
}

impl CsvDraws {
    /// Index of a column by CSV name (`theta.1`) or Stan name (`theta[1]`).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.column_names.iter().position(|c| c == name || csv_to_stan_name(c) == name)
    }

    /// Post-warmup values of one column (CSV or Stan name).
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let j = self.column_index(name)?;
        Some(self.draws.iter().map(|r| r[j]).collect())
    }

    /// Post-warmup draws as column-major [`ChainDraws`] with Stan names (`theta[1]`).
    pub fn to_chain_draws(&self) -> ChainDraws {
        let names = self.column_names.iter().map(|c| csv_to_stan_name(c)).collect();
        let columns = (0..self.column_names.len()).map(|j| self.draws.iter().map(|r| r[j]).collect()).collect();
        ChainDraws { names, columns }
    }
}

/// What the next comment lines are expected to hold.
enum Pending {
    Nothing,
    DiagMetric,
    DenseMetric(Vec<Vec<f64>>),
}

/// Reads a CmdStan CSV file; see the module documentation.
pub fn read_cmdstan_csv(path: impl AsRef<Path>) -> Result<CsvDraws, CsvError> {
    let path = path.as_ref();
    let err = |line: Option<usize>, message: String| CsvError { path: path.to_path_buf(), line, message };
    let file = File::open(path).map_err(|e| err(None, format!("cannot open: {e}")))?;
    let mut reader = BufReader::new(file);

    let mut config = CsvConfig::default();
    let mut section_stack: Vec<(usize, String)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut rows_before_adaptation: Option<usize> = None;
    let mut step_size = None;
    let mut inv_metric = None;
    let mut pending = Pending::Nothing;
    let mut times: Vec<f64> = Vec::new();

    let mut buf = String::new();
    let mut lineno = 0usize;
    loop {
        buf.clear();
        let n = reader.read_line(&mut buf).map_err(|e| err(Some(lineno + 1), format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let line = buf.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if names.is_empty() {
                parse_config_line(comment, &mut section_stack, &mut config);
                continue;
            }
            let text = comment.trim();
            // Lines announced by the previous comment (the metric values).
            match std::mem::replace(&mut pending, Pending::Nothing) {
                Pending::DiagMetric => {
                    let v = parse_list(text).ok_or_else(|| err(Some(lineno), format!("cannot read the inverse metric from {text:?}")))?;
                    inv_metric = Some(Metric::Diag(v));
                    continue;
                }
                Pending::DenseMetric(mut acc) => {
                    if let Some(v) = parse_list(text) {
                        let dim = acc.first().map_or(v.len(), Vec::len);
                        if v.len() != dim {
                            return Err(err(Some(lineno), format!("dense metric row has {} values, expected {dim}", v.len())));
                        }
                        acc.push(v);
                        if acc.len() == dim {
                            inv_metric = Some(Metric::Dense { dim, values: acc.concat() });
                        } else {
                            pending = Pending::DenseMetric(acc);
                        }
                        continue;
                    }
                    return Err(err(Some(lineno), format!("dense metric ends after {} rows", acc.len())));
                }
                Pending::Nothing => {}
            }
            if text == "Adaptation terminated" {
                rows_before_adaptation.get_or_insert(rows.len());
            } else if let Some(v) = text.strip_prefix("Step size =") {
                let v = parse_f64(v).ok_or_else(|| err(Some(lineno), format!("step size {:?} is not a number", v.trim())))?;
                step_size = Some(v);
            } else if text.starts_with("Diagonal elements of inverse mass matrix") {
                pending = Pending::DiagMetric;
            } else if text.starts_with("Elements of inverse mass matrix") {
                pending = Pending::DenseMetric(Vec::new());
            } else if text.starts_with("No free parameters for unit metric") {
                inv_metric = Some(Metric::Unit);
            } else if let Some(t) = parse_time(text) {
                times.push(t);
            }
            continue;
        }
        if !matches!(pending, Pending::Nothing) {
            return Err(err(Some(lineno), "expected the inverse metric on a comment line".into()));
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if names.is_empty() {
            if let Some(bad) = fields.iter().position(|f| f.is_empty()) {
                return Err(err(Some(lineno), format!("column header has an empty name at column {}", bad + 1)));
            }
            names = fields.iter().map(|s| s.to_string()).collect();
            continue;
        }
        if fields.len() != names.len() {
            return Err(err(
                Some(lineno),
                format!("row has {} fields, the header has {} columns (truncated or malformed row)", fields.len(), names.len()),
            ));
        }
        let mut row = Vec::with_capacity(fields.len());
        for (j, f) in fields.iter().enumerate() {
            let v = parse_f64(f).ok_or_else(|| err(Some(lineno), format!("column {} ({}): {f:?} is not a number", j + 1, names[j])))?;
            row.push(v);
        }
        rows.push(row);
    }
    if names.is_empty() {
        return Err(err(None, "no column header (not a CmdStan CSV file, or empty)".into()));
    }
    if let Pending::DenseMetric(acc) = &pending {
        return Err(err(Some(lineno), format!("file ends inside the dense metric after {} rows", acc.len())));
    }

    // Which rows are warmup: those before the adaptation block, or — without one —
    // the first ceil(num_warmup / thin) rows.
    let n_warmup = if config.save_warmup {
        match rows_before_adaptation {
            Some(k) => k,
            None => {
                let thin = config.thin.unwrap_or(1).max(1);
                config.num_warmup.map_or(0, |w| w.div_ceil(thin)).min(rows.len())
            }
        }
    } else {
        0
    };
    let draws = rows.split_off(n_warmup);
    let timing = (times.len() >= 3).then(|| Timing { warmup: times[0], sampling: times[1], total: times[2] });
    Ok(CsvDraws { path: path.to_path_buf(), column_names: names, warmup: rows, draws, config, step_size, inv_metric, timing })
}

fn parse_list(text: &str) -> Option<Vec<f64>> {
    text.split(',').map(parse_f64).collect()
}

/// `Elapsed Time: 0.005 seconds (Warm-up)` or `0.012 seconds (Sampling)`.
fn parse_time(text: &str) -> Option<f64> {
    let t = text.strip_prefix("Elapsed Time:").unwrap_or(text).trim();
    let (num, rest) = t.split_once(' ')?;
    if !rest.trim_start().starts_with("seconds") {
        return None;
    }
    parse_f64(num)
}

/// One configuration comment: `<indent>key = value[ (Default)]` or `<indent>section`.
fn parse_config_line(comment: &str, stack: &mut Vec<(usize, String)>, config: &mut CsvConfig) {
    let indent = comment.len() - comment.trim_start().len();
    let text = comment.trim();
    if text.is_empty() {
        return;
    }
    while stack.last().is_some_and(|(i, _)| *i >= indent) {
        stack.pop();
    }
    let (key, value) = match text.split_once('=') {
        Some((k, v)) => {
            let v = v.trim();
            let v = v.strip_suffix("(Default)").unwrap_or(v).trim();
            (k.trim().to_string(), Some(v.to_string()))
        }
        None => (text.to_string(), None),
    };
    if key.contains(' ') {
        return; // free text, not a setting
    }
    let path: Vec<&str> = stack.iter().map(|(_, s)| s.as_str()).chain([key.as_str()]).collect();
    let path = path.join(".");
    stack.push((indent, key.clone()));
    let Some(value) = value else { return };
    let first = |slot: &mut Option<String>| {
        if slot.is_none() {
            *slot = Some(value.clone());
        }
    };
    let us = value.parse::<usize>().ok();
    match key.as_str() {
        "model" => first(&mut config.model),
        "num_samples" if config.num_samples.is_none() => config.num_samples = us,
        "num_warmup" if config.num_warmup.is_none() => config.num_warmup = us,
        "save_warmup" => config.save_warmup = matches!(value.as_str(), "1" | "true"),
        "thin" if config.thin.is_none() => config.thin = us,
        "seed" if config.seed.is_none() => config.seed = value.parse().ok(),
        "id" | "chain_id" if config.chain_id.is_none() => config.chain_id = us,
        "max_depth" if config.max_depth.is_none() => config.max_depth = us,
        "delta" if config.adapt_delta.is_none() => config.adapt_delta = parse_f64(&value),
        "metric" => first(&mut config.metric),
        _ => {}
    }
    config.settings.push((path, value));
}
