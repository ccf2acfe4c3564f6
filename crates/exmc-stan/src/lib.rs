//! exmc-stan
