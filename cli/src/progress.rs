//! A progress bar on stderr for transfers long enough to wait for: a file hashed or
//! uploaded, an answer written to `--output`.
//!
//! Only a person watching a terminal wants one: piped or redirected, stderr gets nothing
//! (a script reading it would get control sequences), and neither does a transfer of less
//! than [`THRESHOLD`], over before a bar would tell anything. A length not known
//! beforehand (an answer without `Content-Length`) shows the bar once that many bytes
//! have passed.

use std::io::IsTerminal;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};
use tokio::io::AsyncWrite;

/// The size from which a transfer shows its progress.
pub const THRESHOLD: u64 = 4 * 1024 * 1024;

/// A transfer's progress: a bar hidden until it is worth showing. Clones share the bar.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    /// Whether stderr is a terminal, and so whether the bar may ever be shown.
    terminal: bool,
}

impl Progress {
    /// The progress of `verb`ing (`uploading`, …) `total` bytes, or a number not known yet.
    pub fn new(verb: &'static str, total: Option<u64>) -> Self {
        Self::drawn_if(std::io::stderr().is_terminal(), verb, total)
    }

    /// The same, shown only if `terminal`.
    fn drawn_if(terminal: bool, verb: &'static str, total: Option<u64>) -> Self {
        // Dropped unfinished (a failure on the way out), the bar goes rather than stays.
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden())
            .with_finish(ProgressFinish::AndClear);
        // Characters every terminal has; no template error can happen with these fixed
        // ones, but a default style is no reason to fail a transfer.
        let template = match total {
            Some(_) => {
                "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} \
                 {binary_bytes_per_sec}, {eta} left"
            }
            None => "{msg} {binary_bytes} {binary_bytes_per_sec}, {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(verb);
        let progress = Progress { bar, terminal };
        progress.show_if_due();
        progress
    }

    /// Whether the bar is drawn now.
    pub fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Counts `bytes` more done.
    pub fn add(&self, bytes: u64) {
        self.bar.inc(bytes);
        self.show_if_due();
    }

    /// Leaves the finished bar on screen.
    pub fn finish(&self) {
        self.bar.finish();
    }

    /// Takes the bar off the screen, for the error line that follows.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }

    fn show_if_due(&self) {
        let size = self.bar.length().unwrap_or(self.bar.position());
        if self.terminal && size >= THRESHOLD && self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// A writer that counts what it writes into a [`Progress`].
pub struct CountedWriter<W> {
    inner: W,
    progress: Progress,
}

impl<W> CountedWriter<W> {
    pub fn new(inner: W, progress: Progress) -> Self {
        CountedWriter { inner, progress }
    }

    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for CountedWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = &polled {
            self.progress.add(*written as u64);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A stream of chunks that counts each chunk taken into a [`Progress`].
pub struct CountedStream<S> {
    inner: S,
    progress: Progress,
}

impl<S> CountedStream<S> {
    pub fn new(inner: S, progress: Progress) -> Self {
        CountedStream { inner, progress }
    }
}

impl<S> Stream for CountedStream<S>
where
    S: Stream<Item = std::io::Result<Bytes>> + Unpin,
{
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.progress.add(chunk.len() as u64);
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream of the given chunks.
    struct Chunks(Vec<&'static [u8]>);

    impl Stream for Chunks {
        type Item = std::io::Result<Bytes>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let next = (!self.0.is_empty()).then(|| Ok(Bytes::from_static(self.0.remove(0))));
            Poll::Ready(next)
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn streams_and_writers_count_what_passes() {
        let progress = Progress::drawn_if(false, "testing", None);
        let mut stream = CountedStream::new(Chunks(vec![b"abc", b"", b"de"]), progress.clone());
        let mut out = CountedWriter::new(Vec::new(), progress.clone());
        runtime().block_on(async {
            use tokio::io::AsyncWriteExt;
            while let Some(chunk) =
                std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await
            {
                out.write_all(&chunk.unwrap()).await.unwrap();
            }
        });
        assert_eq!(out.into_inner(), b"abcde");
        // Both counted: five bytes taken, five written.
        assert_eq!(progress.bar.position(), 10);
    }

    #[test]
    fn nothing_is_shown_below_the_threshold_or_off_a_terminal() {
        let small = Progress::drawn_if(true, "testing", Some(THRESHOLD - 1));
        small.add(THRESHOLD - 1);
        assert!(!small.is_shown());
        let off_terminal = Progress::drawn_if(false, "testing", Some(THRESHOLD));
        off_terminal.add(THRESHOLD);
        assert!(!off_terminal.is_shown());
        let unknown = Progress::drawn_if(false, "testing", None);
        unknown.add(2 * THRESHOLD);
        assert!(!unknown.is_shown());
    }
}
