//! Streaming CmdStan CSV writer, one file per chain.
//!
//! Order of calls (as CmdStan lays out the file):
//! [`CsvWriter::create`] (configuration comments) → [`CsvWriter::write_column_names`]
//! → [`CsvWriter::write_warmup_row`]* → [`CsvWriter::write_adaptation`] →
//! [`CsvWriter::write_row`]* → [`CsvWriter::finish`] (timing block).
//! Every row is flushed as it is written, so an interrupted run leaves a file that
//! reads back with every finished draw (the closing block is optional for readers).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::format::{format_f64, format_g, Precision};
use super::header::{Header, Metric};
use super::names::stan_to_csv_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Config,
    Warmup,
    Sampling,
}

/// Writes one chain's CmdStan CSV. See the module documentation for the call order.
pub struct CsvWriter<W: Write> {
    out: W,
    precision: Precision,
    save_warmup: bool,
    ncols: usize,
    stage: Stage,
    line: String,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

impl CsvWriter<BufWriter<File>> {
    /// Creates (truncates) the file at `path` and writes the configuration comments.
    pub fn create(path: impl AsRef<Path>, header: &Header) -> io::Result<Self> {
        let path = path.as_ref();
        let file = File::create(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display())))?;
        CsvWriter::new(BufWriter::new(file), header)
    }
}

impl<W: Write> CsvWriter<W> {
    /// Writes the configuration comments of `header` to `out`.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        for l in header.lines() {
            writeln!(out, "{l}")?;
        }
        out.flush()?;
        Ok(CsvWriter {
            out,
            precision: header.precision,
            save_warmup: header.save_warmup,
            ncols: 0,
            stage: Stage::Config,
            line: String::new(),
        })
    }

    /// Writes the column header. Names may be given in Stan form (`Sigma[1,2]`) or CSV
    /// form (`Sigma.1.2`); they are written in CSV form. The sampler columns
    /// (`lp__`, `accept_stat__`, ...) come first, as the caller orders them.
    pub fn write_column_names<S: AsRef<str>>(&mut self, names: &[S]) -> io::Result<()> {
        if self.stage != Stage::Config || self.ncols != 0 {
            return Err(invalid("column names written twice".into()));
        }
        if names.is_empty() {
            return Err(invalid("no column names".into()));
        }
        let csv: Vec<String> = names.iter().map(|n| stan_to_csv_name(n.as_ref())).collect();
        if let Some(bad) = csv.iter().find(|n| n.is_empty() || n.contains([',', '\n', '\r', '#'])) {
            return Err(invalid(format!("column name {bad:?} cannot be written to CSV")));
        }
        writeln!(self.out, "{}", csv.join(","))?;
        self.out.flush()?;
        self.ncols = csv.len();
        self.stage = Stage::Warmup;
        Ok(())
    }

    fn row(&mut self, row: &[f64]) -> io::Result<()> {
        if self.ncols == 0 {
            return Err(invalid("row written before the column names".into()));
        }
        if row.len() != self.ncols {
            return Err(invalid(format!("row has {} values, the header {} columns", row.len(), self.ncols)));
        }
        self.line.clear();
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            self.line.push_str(&format_f64(*v, self.precision));
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.out.flush()
    }

    /// Writes one warmup iteration. When the header says `save_warmup = 0` the row is
    /// dropped (as CmdStan does). Error after [`Self::write_adaptation`] or a draw.
    pub fn write_warmup_row(&mut self, row: &[f64]) -> io::Result<()> {
        if self.stage > Stage::Warmup {
            return Err(invalid("warmup row written after the sampling phase began".into()));
        }
        if self.save_warmup {
            self.row(row)
        } else if self.ncols == 0 {
            Err(invalid("row written before the column names".into()))
        } else {
            Ok(())
        }
    }

    /// Writes the adaptation block between warmup and sampling:
    /// `# Adaptation terminated`, `# Step size = h`, then the inverse metric
    /// (`# Diagonal elements of inverse mass matrix:` and one line of values; or
    /// `# Elements of inverse mass matrix:` and one line per row; or
    /// `# No free parameters for unit metric`).
    pub fn write_adaptation(&mut self, step_size: f64, metric: &Metric) -> io::Result<()> {
        if self.stage != Stage::Warmup {
            return Err(invalid("adaptation block must follow the column names and warmup, once".into()));
        }
        let p = self.precision;
        let list = |v: &[f64]| v.iter().map(|x| format_f64(*x, p)).collect::<Vec<_>>().join(", ");
        writeln!(self.out, "# Adaptation terminated")?;
        writeln!(self.out, "# Step size = {}", format_f64(step_size, p))?;
        match metric {
            Metric::Unit => writeln!(self.out, "# No free parameters for unit metric")?,
            Metric::Diag(d) => {
                writeln!(self.out, "# Diagonal elements of inverse mass matrix:")?;
                writeln!(self.out, "# {}", list(d))?;
            }
            Metric::Dense { dim, values } => {
                if values.len() != dim * dim {
                    return Err(invalid(format!("dense metric of dim {dim} has {} values", values.len())));
                }
                writeln!(self.out, "# Elements of inverse mass matrix:")?;
                for r in values.chunks(*dim) {
                    writeln!(self.out, "# {}", list(r))?;
                }
            }
        }
        self.out.flush()?;
        self.stage = Stage::Sampling;
        Ok(())
    }

    /// Writes one post-warmup draw.
    pub fn write_row(&mut self, row: &[f64]) -> io::Result<()> {
        self.row(row)?;
        self.stage = Stage::Sampling;
        Ok(())
    }

    /// Writes a free comment line (`# text`), e.g. a message from the sampler.
    pub fn write_comment(&mut self, text: &str) -> io::Result<()> {
        for l in text.lines() {
            writeln!(self.out, "# {l}")?;
        }
        self.out.flush()
    }

    /// Writes CmdStan's closing timing block and returns the inner writer:
    /// ```text
    /// #
    /// #  Elapsed Time: 0.01 seconds (Warm-up)
    /// #                0.02 seconds (Sampling)
    /// #                0.03 seconds (Total)
    /// #
    /// ```
    /// (the bare `#` lines carry one trailing space, as CmdStan writes them; times with
    /// 6 significant digits).
    pub fn finish(mut self, warmup_secs: f64, sampling_secs: f64) -> io::Result<W> {
        let title = " Elapsed Time: ";
        let pad = " ".repeat(title.len());
        let g = |v: f64| format_g(v, 6);
        writeln!(self.out, "# ")?;
        writeln!(self.out, "# {title}{} seconds (Warm-up)", g(warmup_secs))?;
        writeln!(self.out, "# {pad}{} seconds (Sampling)", g(sampling_secs))?;
        writeln!(self.out, "# {pad}{} seconds (Total)", g(warmup_secs + sampling_secs))?;
        writeln!(self.out, "# ")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
