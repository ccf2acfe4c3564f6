//! exmc-nuts
