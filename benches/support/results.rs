//! Where the benches write their results: `bench-results/` in Cargo's target
//! directory, that is `$CARGO_TARGET_DIR/bench-results` when the variable is set, and
//! `target/bench-results` under the workspace root otherwise (`benches/instructions.py`
//! follows the same rule).

use std::path::PathBuf;

/// The results folder, created if needed.
pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        );
    let target = if target.is_relative() {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    let dir = target.join("bench-results");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
