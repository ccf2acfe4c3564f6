//! exmc-report: MCMC diagnostics ([`diag`]), posterior summaries, and CmdStan CSV
//! input/output ([`csv`]).

pub mod csv;
pub mod diag;
mod draws;
mod special;
pub mod summary;

pub use draws::ChainDraws;
