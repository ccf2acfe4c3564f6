//! exmc-model
