//! CmdStan CSV output and input: [`CsvWriter`] (streaming, one file per chain) and
//! [`read_cmdstan_csv`], plus Stan ↔ CSV name conversion and number formatting.

mod format;
mod header;
mod names;
mod reader;
mod writer;

pub use format::{format_f64, format_g, parse_f64, Precision};
pub use header::{Header, Metric, MetricKind};
pub use names::{csv_to_stan_name, element_names, split_stan_name, stan_to_csv_name};
pub use reader::{read_cmdstan_csv, CsvConfig, CsvDraws, CsvError, Timing};
pub use writer::CsvWriter;
