//! exmc-report
