//! [`ChainDraws`]: the draws of one chain, column-major, the common input of the
//! summary. The sampler's output and a read CSV ([`crate::csv::CsvDraws::to_chain_draws`])
//! both convert to it.

/// Draws of one chain: `columns[j][i]` is iteration `i` of the column `names[j]`.
/// Names are Stan names (`theta[1]`, `Sigma[1,2]`); sampler statistics keep their
/// CmdStan names (`lp__`, `accept_stat__`, `stepsize__`, `treedepth__`,
/// `n_leapfrog__`, `divergent__`, `energy__`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChainDraws {
    pub names: Vec<String>,
    pub columns: Vec<Vec<f64>>,
}

impl ChainDraws {
    /// Checks that there is one column per name and all columns have one length.
    pub fn new(names: Vec<String>, columns: Vec<Vec<f64>>) -> Result<Self, String> {
        if names.len() != columns.len() {
            return Err(format!("{} names but {} columns", names.len(), columns.len()));
        }
        if let Some(first) = columns.first() {
            if let Some((j, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != first.len()) {
                return Err(format!("column {} has {} draws, column {} has {}", names[j], c.len(), names[0], first.len()));
            }
        }
        Ok(ChainDraws { names, columns })
    }

    /// Builds the columns from rows (iterations), each of `names.len()` values.
    pub fn from_rows(names: Vec<String>, rows: &[Vec<f64>]) -> Result<Self, String> {
        if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != names.len()) {
            return Err(format!("row {i} has {} values, expected {}", r.len(), names.len()));
        }
        let columns = (0..names.len()).map(|j| rows.iter().map(|r| r[j]).collect()).collect();
        Ok(ChainDraws { names, columns })
    }

    /// Number of iterations (0 without columns).
    pub fn num_draws(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.names.iter().position(|n| n == name).map(|j| self.columns[j].as_slice())
    }
}
