//! Files written beside their target and renamed into place only when complete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::NpyError;

/// Buffer size of the writer in front of the temporary file; larger writes pass through.
const BUF_BYTES: usize = 1 << 20;

/// Distinguishes the temporary files of several writers in one process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A file being written under a temporary name in the target's directory.
///
/// [`commit`](Staged::commit) flushes it, syncs it to the disk and renames it over the
/// target, an atomic replacement on POSIX file systems: readers of the target see the
/// old file or the complete new one, never a part. Dropped without a commit (an error,
/// a panic), it deletes the temporary file. A process killed outright leaves the
/// temporary file behind (named `.NAME.PID-N.tmp`), but never a partial file under the
/// target's name.
pub(crate) struct Staged {
    out: BufWriter<File>,
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staged {
    /// Creates the temporary file for `target`.
    pub(crate) fn create(target: &Path) -> Result<Self, NpyError> {
        let open_err = |source| NpyError::Open {
            path: target.to_path_buf(),
            source,
        };
        let name = target
            .file_name()
            .ok_or_else(|| open_err(io::Error::other("the path names no file")))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(
            ".{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = target.with_file_name(tmp_name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(open_err)?;
        Ok(Staged {
            out: BufWriter::with_capacity(BUF_BYTES, file),
            tmp,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub(crate) fn commit(mut self) -> Result<(), NpyError> {
        self.out.flush()?;
        // The data must be on disk before the rename is: otherwise a crash soon after
        // could leave the new name pointing at a file whose blocks were never written.
        self.out.get_ref().sync_all()?;
        fs::rename(&self.tmp, &self.target)?;
        self.committed = true;
        // The rename itself lives in the directory; syncing it makes it durable.
        #[cfg(unix)]
        if let Some(dir) = self.target.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            // Nothing to report to: the error that dropped the writer is the one that
            // matters, and a leftover temporary file is harmless.
            let _ = fs::remove_file(&self.tmp);
        }
    }
}
