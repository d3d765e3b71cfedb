//! Files replaced whole or not at all, for every `-o FILE` (and the other
//! single files a command writes): the bytes go to a temporary file beside
//! the destination (`.NAME.PID.tmp`), which is synced and renamed over it
//! only when the command has written everything. A full disk or a kill
//! midway leaves last week's file as it was; a failed run removes its
//! temporary file, and every error names the destination.
//!
//! A destination that exists and is no regular file (`/dev/null`, a FIFO,
//! a terminal) is written in place: there is nothing there to replace.
//!
//! Files read are regular files only ([`regular`], [`read`]): a FIFO would
//! block the run forever and `/dev/zero` would be read until memory runs
//! out, so both are refused by name before they are opened.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A file being written; see the module docs. Dropped without
/// [`AtomicFile::commit`], it leaves the destination untouched.
pub struct AtomicFile {
    dest: PathBuf,
    /// The temporary file, until it is renamed (none: written in place).
    temp: Option<PathBuf>,
    file: BufWriter<File>,
}

impl AtomicFile {
    /// Starts writing `dest`.
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let cannot = || format!("cannot write {}", dest.display());
        let in_place = fs::metadata(dest).is_ok_and(|meta| !meta.is_file());
        if in_place {
            let file = File::create(dest).with_context(cannot)?;
            return Ok(AtomicFile {
                dest: dest.to_path_buf(),
                temp: None,
                file: BufWriter::new(file),
            });
        }
        let temp = temp_path(dest);
        let file = File::create(&temp).with_context(cannot)?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            temp: Some(temp),
            file: BufWriter::new(file),
        })
    }

    /// Flushes, syncs and puts the file in place of the destination.
    pub fn commit(mut self) -> Result<()> {
        let cannot = || format!("cannot write {}", self.dest.display());
        self.file.flush().with_context(cannot)?;
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        let placed = (self.file.get_ref().sync_all()).and_then(|()| fs::rename(&temp, &self.dest));
        if let Err(err) = placed {
            let _ = fs::remove_file(&temp);
            return Err(err).with_context(cannot);
        }
        // The rename itself is durable once the folder is synced; a folder
        // that cannot be opened (some file systems) keeps the file anyway.
        if let Ok(dir) = File::open(folder_of(&self.dest)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    fn named(&self, err: io::Error) -> io::Error {
        io::Error::new(
            err.kind(),
            format!("cannot write {}: {err}", self.dest.display()),
        )
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf).map_err(|err| self.named(err))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf).map_err(|err| self.named(err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|err| self.named(err))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Writes `bytes` to `dest` whole or not at all.
pub fn write(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(dest)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Refuses a path that is no regular file (after following links): a
/// folder, a FIFO, a device or a socket.
pub fn regular(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let kind = fs::metadata(path)?.file_type();
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "no regular file"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a file; tal reads regular files only (save the data to a file and name that)"),
    ))
}

/// The bytes of a regular file (see [`regular`]).
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    regular(path)?;
    fs::read(path)
}

fn folder_of(dest: &Path) -> &Path {
    match dest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `.NAME.PID.tmp` in the destination's folder, so the rename stays on
/// one file system.
fn temp_path(dest: &Path) -> PathBuf {
    let name = dest.file_name().map_or_else(
        || "output".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    folder_of(dest).join(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_destination_changes_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("tal.csv");
        fs::write(&dest, "last week\n").unwrap();
        let mut file = AtomicFile::create(&dest).unwrap();
        file.write_all(b"this week\n").unwrap();
        file.flush().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "last week\n");
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "this week\n");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_file_dropped_unfinished_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("tal.csv");
        fs::write(&dest, "last week\n").unwrap();
        let mut file = AtomicFile::create(&dest).unwrap();
        file.write_all(b"half of th").unwrap();
        drop(file);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "last week\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn errors_name_the_destination() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("no such folder").join("tal.csv");
        let err = AtomicFile::create(&dest).err().unwrap();
        assert!(
            format!("{err:#}").contains("no such folder/tal.csv"),
            "{err:#}"
        );
    }

    #[test]
    fn what_is_no_regular_file_is_refused_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let said = |path: &Path| read(path).unwrap_err().to_string();
        assert!(said(&fifo).contains("a FIFO"), "{}", said(&fifo));
        assert!(said(Path::new("/dev/zero")).contains("a device"));
        assert!(said(dir.path()).contains("a folder"));
        let file = dir.path().join("crm.csv");
        fs::write(&file, "a,b\n").unwrap();
        assert_eq!(read(&file).unwrap(), b"a,b\n");
    }

    #[test]
    fn a_device_is_written_in_place() {
        let mut file = AtomicFile::create(Path::new("/dev/null")).unwrap();
        file.write_all(b"gone").unwrap();
        file.commit().unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }
}
