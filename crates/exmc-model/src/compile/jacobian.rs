//! The Jacobian of one output quantity (a deterministic) with respect to
//! the unconstrained parameters: one forward sweep, then one reverse sweep
//! per output element seeded with `e_i` (rows of `J`).

use super::eval::{rd, Program, Workspace};
use super::program::Ref;
use exmc_core::{LogpError, Real};

impl<T: Real> Program<T> {
    /// Writes the value of `out` into `value` and, with `jac`, the Jacobian
    /// `∂out_i/∂x_j` row-major (`out.len × dim`).
    pub(crate) fn output_jacobian(&self, ws: &mut Workspace<T>, x: &[T], out: Ref, value: &mut [T], jac: Option<&mut [T]>) -> Result<(), LogpError> {
        let n = self.instrs.len();
        self.forward(ws, x, n)?;
        value.copy_from_slice(rd(&ws.vals, &self.consts, out));
        let Some(jac) = jac else { return Ok(()) };
        if out.is_const() {
            jac.iter_mut().for_each(|v| *v = T::zero());
            return Ok(());
        }
        // Instructions after the output cannot reach it; `target +=` terms are not part of it.
        let last = self.instrs.iter().rposition(|ins| self.writes_before(ins, out.end())).map_or(0, |k| k + 1);
        for (i, row) in jac.chunks_mut(self.dim).enumerate() {
            ws.adj.iter_mut().for_each(|a| *a = T::zero());
            ws.adj[out.start() + i] = T::one();
            for ins in self.instrs[..last].iter().rev() {
                if !matches!(ins, super::program::Instr::Target { .. }) {
                    self.reverse_one(ins, &ws.vals, &mut ws.adj, &mut ws.partials);
                }
            }
            row.copy_from_slice(&ws.adj[..self.dim]);
        }
        Ok(())
    }
}

impl<T> Program<T> {
    /// Whether an instruction writes anything before `end` (SSA order: only
    /// those can feed a value that ends at `end`).
    fn writes_before(&self, ins: &super::program::Instr, end: usize) -> bool {
        use super::program::Instr::*;
        let out = match ins {
            Unary { out, .. }
            | Binary { out, .. }
            | Sum { out, .. }
            | Dot { out, .. }
            | LogSumExp { out, .. }
            | CumSum { out, .. }
            | MatVec { out, .. }
            | MatVecCols { out, .. }
            | Cholesky { out, .. }
            | Gather { out, .. }
            | Concat { out, .. }
            | Select { out, .. }
            | Cont { out, .. }
            | Disc { out, .. }
            | Transform { out, .. }
            | Multi { out, .. }
            | VTransform { out, .. }
            | Custom { out, .. }
            | CustomFn { out, .. } => *out,
            Scalar { start, n } => {
                return self.sops[*start as usize..(*start + *n) as usize].iter().any(|o| (o.out as usize) < end);
            }
            Target { .. } => return false,
        };
        out.end() <= end
    }
}
