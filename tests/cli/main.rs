//! Integration tests: the real `tal` binary on fixture projects, one module
//! per command. One test binary, so polars is linked once.

mod util;

mod check;
mod explain;
mod help;
mod init;
mod properties;
mod regression;
mod score;
