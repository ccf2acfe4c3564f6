//! The run configuration written as the comment block at the top of a CmdStan CSV
//! (`# model = ...`, `# method = sample (Default)`, the nested `sample`/`adapt`/`hmc`
//! settings, `# id = 1`, `# random` / `#   seed = ...`, `# output` ...), and the
//! adaptation result ([`Metric`]).
//!
//! Layout and keys follow CmdStan 2.33's output; a value equal to CmdStan's default
//! carries the ` (Default)` marker, as CmdStan writes it. Booleans are written `0`/`1`.

use super::format::{format_f64, Precision};

/// Kind of mass matrix, CmdStan's `metric` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricKind {
    UnitE,
    #[default]
    DiagE,
    DenseE,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::UnitE => "unit_e",
            MetricKind::DiagE => "diag_e",
            MetricKind::DenseE => "dense_e",
        }
    }
}

/// The adapted inverse mass matrix written after warmup.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// Identity metric: CmdStan writes "No free parameters for unit metric".
    Unit,
    /// Diagonal of the inverse mass matrix.
    Diag(Vec<f64>),
    /// Dense inverse mass matrix, `dim × dim`, row-major.
    Dense { dim: usize, values: Vec<f64> },
}

/// Settings of a sampling run, written as CmdStan's configuration comment block.
/// [`Default`] gives CmdStan's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub model: String,
    pub num_samples: usize,
    pub num_warmup: usize,
    pub save_warmup: bool,
    pub thin: usize,
    pub adapt_engaged: bool,
    pub adapt_gamma: f64,
    pub adapt_delta: f64,
    pub adapt_kappa: f64,
    pub adapt_t0: f64,
    pub adapt_init_buffer: usize,
    pub adapt_term_buffer: usize,
    pub adapt_window: usize,
    pub max_depth: usize,
    pub metric: MetricKind,
    pub stepsize: f64,
    pub stepsize_jitter: f64,
    pub num_chains: usize,
    /// Chain id (CmdStan's `id`, 1-based).
    pub chain_id: usize,
    /// Data file name; empty when none.
    pub data_file: String,
    /// CmdStan's `init` argument as text (`2` = uniform(−2, 2) on the unconstrained scale).
    pub init: String,
    pub seed: u64,
    pub output_file: String,
    /// Number formatting of the draws and of the adaptation block.
    pub precision: Precision,
    /// exmc's version, written as `# exmc_version = ...`.
    pub exmc_version: String,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            model: String::new(),
            num_samples: 1000,
            num_warmup: 1000,
            save_warmup: false,
            thin: 1,
            adapt_engaged: true,
            adapt_gamma: 0.05,
            adapt_delta: 0.8,
            adapt_kappa: 0.75,
            adapt_t0: 10.0,
            adapt_init_buffer: 75,
            adapt_term_buffer: 50,
            adapt_window: 25,
            max_depth: 10,
            metric: MetricKind::DiagE,
            stepsize: 1.0,
            stepsize_jitter: 0.0,
            num_chains: 1,
            chain_id: 1,
            data_file: String::new(),
            init: "2".into(),
            seed: 0,
            output_file: "output.csv".into(),
            precision: Precision::RoundTrip,
            exmc_version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// `#<indent spaces> key = value`, with ` (Default)` when the value is CmdStan's default.
fn kv(out: &mut Vec<String>, indent: usize, key: &str, value: impl std::fmt::Display, is_default: bool) {
    let mark = if is_default { " (Default)" } else { "" };
    out.push(format!("#{} {key} = {value}{mark}", " ".repeat(indent)));
}

/// A section name line such as `#   sample`.
fn section(out: &mut Vec<String>, indent: usize, name: &str) {
    out.push(format!("#{} {name}", " ".repeat(indent)));
}

impl Header {
    /// The comment lines (each starting with `#`, without newline), in CmdStan's order.
    pub fn lines(&self) -> Vec<String> {
        let d = Header::default();
        let num = |v: f64| format_f64(v, Precision::RoundTrip);
        let b = |v: bool| u8::from(v);
        let o = &mut Vec::new();
        kv(o, 0, "exmc_version", &self.exmc_version, false);
        kv(o, 0, "model", &self.model, false);
        kv(o, 0, "method", "sample", true);
        section(o, 2, "sample");
        kv(o, 4, "num_samples", self.num_samples, self.num_samples == d.num_samples);
        kv(o, 4, "num_warmup", self.num_warmup, self.num_warmup == d.num_warmup);
        kv(o, 4, "save_warmup", b(self.save_warmup), self.save_warmup == d.save_warmup);
        kv(o, 4, "thin", self.thin, self.thin == d.thin);
        section(o, 4, "adapt");
        kv(o, 6, "engaged", b(self.adapt_engaged), self.adapt_engaged == d.adapt_engaged);
        kv(o, 6, "gamma", num(self.adapt_gamma), self.adapt_gamma == d.adapt_gamma);
        kv(o, 6, "delta", num(self.adapt_delta), self.adapt_delta == d.adapt_delta);
        kv(o, 6, "kappa", num(self.adapt_kappa), self.adapt_kappa == d.adapt_kappa);
        kv(o, 6, "t0", num(self.adapt_t0), self.adapt_t0 == d.adapt_t0);
        kv(o, 6, "init_buffer", self.adapt_init_buffer, self.adapt_init_buffer == d.adapt_init_buffer);
        kv(o, 6, "term_buffer", self.adapt_term_buffer, self.adapt_term_buffer == d.adapt_term_buffer);
        kv(o, 6, "window", self.adapt_window, self.adapt_window == d.adapt_window);
        kv(o, 4, "algorithm", "hmc", true);
        section(o, 6, "hmc");
        kv(o, 8, "engine", "nuts", true);
        section(o, 10, "nuts");
        kv(o, 12, "max_depth", self.max_depth, self.max_depth == d.max_depth);
        kv(o, 8, "metric", self.metric.as_str(), self.metric == d.metric);
        kv(o, 8, "metric_file", "", true);
        kv(o, 8, "stepsize", num(self.stepsize), self.stepsize == d.stepsize);
        kv(o, 8, "stepsize_jitter", num(self.stepsize_jitter), self.stepsize_jitter == d.stepsize_jitter);
        kv(o, 4, "num_chains", self.num_chains, self.num_chains == d.num_chains);
        kv(o, 0, "id", self.chain_id, self.chain_id == d.chain_id);
        section(o, 0, "data");
        kv(o, 2, "file", &self.data_file, self.data_file.is_empty());
        kv(o, 0, "init", &self.init, self.init == d.init);
        section(o, 0, "random");
        kv(o, 2, "seed", self.seed, false);
        section(o, 0, "output");
        kv(o, 2, "file", &self.output_file, self.output_file == d.output_file);
        kv(o, 2, "diagnostic_file", "", true);
        kv(o, 2, "refresh", 100, true);
        // CmdStan's −1 means "6 significant digits"; we write the digits actually used
        // (17 stands for shortest exact round trip).
        let sig = match self.precision {
            Precision::RoundTrip => 17,
            Precision::SigFigs(p) => i64::from(p),
        };
        kv(o, 2, "sig_figs", sig, false);
        std::mem::take(o)
    }
}
