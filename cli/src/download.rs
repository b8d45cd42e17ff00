//! `--output FILE`: a 2xx answer written to a file as it arrives, never held whole.
//!
//! The answer goes to a temporary file beside FILE (the same folder, so the same file
//! system, where a rename is atomic), is flushed to disk, and the temporary file is
//! renamed over FILE once the answer has arrived whole. So FILE is either as it was or the
//! whole answer, never a part of it: whenever the download fails (an error answer, a
//! broken connection, a full disk, Ctrl-C), the temporary file is removed and FILE left
//! alone. Like `curl -o`, an existing FILE is replaced; unlike it, only on success, and a
//! symbolic link at FILE is replaced rather than written through.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use signed_api_runtime::BodyStream;

use crate::error::CliError;
use crate::progress::{CountedWriter, Progress};

/// How many temporary names are tried before giving up (each taken one was left by
/// another download of the same FILE, running or killed).
const TEMPORARY_NAMES: u32 = 100;

/// Where `--output` writes, checked.
#[derive(Debug)]
pub struct Output {
    path: PathBuf,
    /// FILE's folder, where the temporary file goes.
    dir: PathBuf,
    /// FILE's name, from which the temporary one is made.
    name: OsString,
}

impl Output {
    /// Checks `path` before anything is sent: not a folder, in a folder that exists.
    /// Whether the folder can be written to is known when the temporary file is created.
    pub fn check(path: &Path) -> Result<Self, CliError> {
        let refused = |why: &str| {
            CliError::Refused(format!("cannot write --output {}: {why}", path.display()))
        };
        if path.is_dir() {
            return Err(refused("it is a directory; name a file"));
        }
        let name = path
            .file_name()
            .ok_or_else(|| refused("it names no file"))?
            .to_owned();
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(refused(&format!(
                "the directory {} does not exist",
                dir.display()
            )));
        }
        Ok(Output {
            path: path.to_owned(),
            dir,
            name,
        })
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the temporary file, before the request is sent: a folder that cannot be
    /// written to is refused then, when nothing has gone yet.
    pub fn create(&self) -> Result<Partial, CliError> {
        for attempt in 0..TEMPORARY_NAMES {
            let mut name = OsString::from(".");
            name.push(&self.name);
            name.push(format!(".{}-{attempt}.part", std::process::id()));
            let temporary = self.dir.join(name);
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)
            {
                Ok(file) => {
                    return Ok(Partial {
                        file: Some(file),
                        temporary,
                        path: self.path.clone(),
                    });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(CliError::Refused(format!(
                        "cannot write --output {}: cannot create a file in {}: {e}",
                        self.path.display(),
                        self.dir.display()
                    )));
                }
            }
        }
        Err(CliError::Refused(format!(
            "cannot write --output {}: {TEMPORARY_NAMES} temporary files of it exist \
             already in {}; remove them",
            self.path.display(),
            self.dir.display()
        )))
    }
}

/// A download under way: the temporary file, removed when dropped unless renamed to FILE.
#[derive(Debug)]
pub struct Partial {
    /// Taken by [`write`](Self::write).
    file: Option<std::fs::File>,
    temporary: PathBuf,
    path: PathBuf,
}

impl Partial {
    /// Writes `body` to the temporary file, then renames it to FILE.
    pub async fn write(mut self, mut body: BodyStream) -> Result<(), CliError> {
        let Some(file) = self.file.take() else {
            return Err(CliError::Failed("the download was written already".into()));
        };
        let progress = Progress::new("downloading", body.content_length());
        let result = self.fill(file, &mut body, &progress).await;
        match &result {
            Ok(()) => progress.finish(),
            Err(_) => progress.clear(),
        }
        result
    }

    async fn fill(
        &mut self,
        file: std::fs::File,
        body: &mut BodyStream,
        progress: &Progress,
    ) -> Result<(), CliError> {
        let mut out = CountedWriter::new(tokio::fs::File::from_std(file), progress.clone());
        body.write_to(&mut out).await?;
        let failed = |what: &str, e: std::io::Error| {
            CliError::Failed(format!(
                "cannot write --output {}: {what}: {e}",
                self.path.display()
            ))
        };
        // On disk before it takes FILE's name: a crash then leaves the old FILE or the
        // new one, not an empty one.
        out.into_inner()
            .sync_all()
            .await
            .map_err(|e| failed("cannot flush it to disk", e))?;
        tokio::fs::rename(&self.temporary, &self.path)
            .await
            .map_err(|e| failed("cannot rename the temporary file to it", e))?;
        self.temporary.clear();
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        self.file.take();
        if !self.temporary.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("signed-api-download-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn folders_and_missing_folders_are_refused() {
        let dir = dir("check");
        let refusal = |path: &Path| Output::check(path).unwrap_err().to_string();
        assert!(refusal(&dir).contains("is a directory"));
        assert!(refusal(&dir.join("missing/file")).contains("does not exist"));
        assert!(refusal(&dir.join("..")).contains("is a directory"));
        let output = Output::check(&dir.join("file")).unwrap();
        assert_eq!(output.dir, dir);
        assert_eq!(
            Output::check(Path::new("file")).unwrap().dir,
            Path::new(".")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_dropped_download_leaves_nothing_and_names_do_not_collide() {
        let dir = dir("partial");
        let output = Output::check(&dir.join("file")).unwrap();
        let first = output.create().unwrap();
        let second = output.create().unwrap();
        assert_ne!(first.temporary, second.temporary);
        assert!(first.temporary.starts_with(&dir));
        drop((first, second));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
