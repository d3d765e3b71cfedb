//! sha256 and size of what is read and written, for the manifest.

use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest as _, Sha256};

/// Size in bytes and lower-case hex sha256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub size: u64,
    pub sha256: String,
}

fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn of_bytes(bytes: &[u8]) -> Digest {
    let mut hasher = Sha256::new();
    hasher.update(bytes);
    Digest {
        size: bytes.len() as u64,
        sha256: hex(hasher),
    }
}

/// Hashes a file as it is on disk, streaming.
pub fn of_file(path: &Path) -> Result<Digest> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok(Digest {
        size,
        sha256: hex(hasher),
    })
}

/// A writer that hashes and counts what goes through it.
pub struct Digesting<W: Write> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Digesting<W> {
    pub fn new(inner: W) -> Self {
        Digesting {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// The inner writer (not flushed) and the digest of what was written.
    pub fn finish(self) -> (W, Digest) {
        let digest = Digest {
            size: self.size,
            sha256: hex(self.hasher),
        };
        (self.inner, digest)
    }
}

impl<W: Write> Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(
            of_bytes(b"abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut w = Digesting::new(Vec::new());
        w.write_all(b"abc").expect("write");
        let (bytes, digest) = w.finish();
        assert_eq!(bytes, b"abc");
        assert_eq!(digest, of_bytes(b"abc"));
    }
}
