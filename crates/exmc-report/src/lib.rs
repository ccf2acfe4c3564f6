//! exmc-report: what happens after sampling.
//!
//! - [`diag`]: convergence diagnostics matching ArviZ 0.23 (rank-normalised split
//!   R-hat, bulk/tail/mean/quantile ESS, MCSE, quantiles, E-BFMI).
//! - [`summary`]: per-parameter summaries, sampler statistics and plain-language
//!   warnings, as a table ([`summary::Summary::to_table`]) or JSON.
//! - [`csv`]: CmdStan CSV, a streaming writer (one file per chain) and a reader,
//!   plus Stan (`Sigma[1,2]`) ↔ CSV (`Sigma.1.2`) names.
//! - [`ChainDraws`]: one chain's draws, column-major — the summary's input, made
//!   from sampler output or from a read CSV file ([`csv::CsvDraws::to_chain_draws`]).

pub mod csv;
pub mod diag;
mod draws;
mod special;
pub mod summary;

pub use draws::ChainDraws;
