//! Integration tests: the real `tal` binary on fixture projects, one module
//! per command. One test binary, so polars is linked once.

mod util;

mod build;
mod check;
mod diff;
mod explain;
mod export;
mod help;
mod hostile;
mod icp;
mod init;
mod maturity;
mod orders;
mod properties;
mod regression;
mod report;
mod score;
mod sql;
mod xlsx;
