//! The draw sink of a run: per chain, in the chain's own thread, constrain
//! the draw, append the row to the chain's columns and CSV file.
//!
//! Each chain has its own slot behind its own `Mutex`; only that chain's
//! thread locks it while sampling, so the lock is never contended (a few ns)
//! and chains never wait on one another.

use exmc_core::LogpError;
use exmc_model::CompiledDensity;
use exmc_nuts::{Draw, DrawSink, InvMetric};
use exmc_report::csv::{CsvWriter, Header, Metric};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Maps an unconstrained draw to the reported values (parameters on their
/// constrained scale, then deterministics), one per output name.
pub trait Constrain: Send {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError>;
}

impl Constrain for CompiledDensity<f64> {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError> {
        CompiledDensity::constrain(self, x, out)
    }
}

/// Reports the unconstrained coordinates as they are (for hand-written
/// densities without constraints).
#[derive(Clone, Copy, Debug, Default)]
pub struct Identity;

impl Constrain for Identity {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError> {
        out.clear();
        out.extend_from_slice(x);
        Ok(())
    }
}

pub(super) type FileWriter = CsvWriter<BufWriter<File>>;

/// Creates a chain's file: configuration block, `# exmc` section, column names.
pub(super) fn open_writer(
    path: &Path,
    header: &Header,
    exmc: &[String],
    names: &[String],
) -> Result<FileWriter, String> {
    let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut w = CsvWriter::create(path, header).map_err(|e| e.to_string())?;
    w.write_comment(&exmc.join("\n")).map_err(io)?;
    w.write_column_names(names).map_err(io)?;
    Ok(w)
}

/// One chain's state in the sink.
pub(super) struct Slot<C> {
    constrain: C,
    pub writer: Option<FileWriter>,
    n_outputs: usize,
    save_warmup: bool,
    outputs: Vec<f64>,
    row: Vec<f64>,
    /// Post-warmup rows, column-major (sampler columns, then outputs).
    pub columns: Vec<Vec<f64>>,
    /// Warmup rows (with `save_warmup`), column-major.
    pub warmup_columns: Vec<Vec<f64>>,
    /// The first failure to write the file (later rows are not written).
    pub io_error: Option<String>,
    /// The first failure to constrain a draw (its outputs are NaN) and how many.
    pub constrain_error: Option<(String, usize)>,
}

impl<C: Constrain> Slot<C> {
    pub fn new(constrain: C, writer: Option<FileWriter>, n_outputs: usize, save_warmup: bool) -> Self {
        let ncols = exmc_nuts::DrawStats::NAMES.len() + n_outputs;
        Slot {
            constrain,
            writer,
            n_outputs,
            save_warmup,
            outputs: Vec::with_capacity(n_outputs),
            row: Vec::with_capacity(ncols),
            columns: vec![Vec::new(); ncols],
            warmup_columns: if save_warmup { vec![Vec::new(); ncols] } else { Vec::new() },
            io_error: None,
            constrain_error: None,
        }
    }

    fn draw(&mut self, d: &Draw<'_>) {
        if d.stats.warmup && !self.save_warmup {
            return;
        }
        let ok: Result<(), String> = match self.constrain.constrain(d.position, &mut self.outputs) {
            Ok(()) if self.outputs.len() == self.n_outputs => Ok(()),
            Ok(()) => Err(format!("{} output values for {} names", self.outputs.len(), self.n_outputs)),
            Err(e) => Err(e.message.to_string()),
        };
        if let Err(msg) = ok {
            let e = self.constrain_error.get_or_insert((format!("iteration {}: {msg}", d.iteration), 0));
            e.1 += 1;
            // Keep what was computed before the failure (the parameters, when
            // a generated quantity fails); the rest is NaN.
            self.outputs.truncate(self.n_outputs);
            self.outputs.resize(self.n_outputs, f64::NAN);
        }
        self.row.clear();
        self.row.extend_from_slice(&d.stats.stan_values());
        self.row.extend_from_slice(&self.outputs);
        let cols = if d.stats.warmup { &mut self.warmup_columns } else { &mut self.columns };
        for (col, v) in cols.iter_mut().zip(&self.row) {
            col.push(*v);
        }
        if let (Some(w), None) = (&mut self.writer, &self.io_error) {
            let r = if d.stats.warmup { w.write_warmup_row(&self.row) } else { w.write_row(&self.row) };
            if let Err(e) = r {
                self.io_error = Some(format!("cannot write a draw: {e}"));
            }
        }
    }

    fn warmup_end(&mut self, step_size: f64, inv_metric: &InvMetric) {
        let metric = match inv_metric {
            InvMetric::Diag(d) => Metric::Diag(d.clone()),
            InvMetric::Dense { dim, values } => Metric::Dense { dim: *dim, values: values.clone() },
        };
        if let (Some(w), None) = (&mut self.writer, &self.io_error) {
            if let Err(e) = w.write_adaptation(step_size, &metric) {
                self.io_error = Some(format!("cannot write the adaptation block: {e}"));
            }
        }
    }
}

/// The run's sink: one slot per chain.
pub(super) struct CsvSink<C> {
    slots: Vec<Mutex<Slot<C>>>,
}

impl<C: Constrain> CsvSink<C> {
    pub fn new(slots: Vec<Slot<C>>) -> Self {
        CsvSink { slots: slots.into_iter().map(Mutex::new).collect() }
    }

    /// The slot of `chain`; a poisoned lock (a panic inside a previous call,
    /// already reported as that chain's failure) still gives the slot.
    fn slot(&self, chain: usize) -> Option<MutexGuard<'_, Slot<C>>> {
        self.slots.get(chain).map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn into_slots(self) -> Vec<Slot<C>> {
        self.slots.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
    }
}

impl<C: Constrain> DrawSink for CsvSink<C> {
    fn on_draw(&self, chain: usize, draw: &Draw<'_>) {
        if let Some(mut s) = self.slot(chain) {
            s.draw(draw);
        }
    }

    fn on_warmup_end(&self, chain: usize, step_size: f64, inv_metric: &InvMetric) {
        if let Some(mut s) = self.slot(chain) {
            s.warmup_end(step_size, inv_metric);
        }
    }
}
