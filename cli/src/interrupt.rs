//! The signals that stop the command: Ctrl-C, and (on Unix) the SIGTERM a service manager
//! or `kill` sends. Awaited by what must tidy up before it stops (the mock, a download).

/// Resolves when the command is asked to stop.
pub async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            stopped = tokio::signal::ctrl_c() => stopped,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
