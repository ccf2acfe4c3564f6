//! Warmup: the windowed schedule ([`schedule`]), step-size dual averaging and
//! the initial step-size search ([`step_size`]), and the mass-matrix
//! estimators ([`mass_matrix`], built on [`welford`]).

pub mod mass_matrix;
pub mod schedule;
pub mod step_size;
pub mod welford;

pub use mass_matrix::MassMatrixAdapt;
pub use schedule::WarmupSchedule;
pub use step_size::{find_reasonable_step_size, DualAveraging};
