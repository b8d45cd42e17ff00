//! Reading a settings file that holds credentials (`ovh.conf`, `~/.aws/credentials`)
//! without leaving copies of it in freed memory.

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

/// The whole file, at most `max_bytes`, in a buffer allocated once and wiped on drop:
/// growing a buffer while reading would leave a copy of what was read so far in freed
/// memory. A larger file is refused rather than read.
pub(crate) fn read_wiped(file: &Path, max_bytes: usize) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let mut buffer = Zeroizing::new(vec![0u8; max_bytes + 1]);
    let mut reader = std::fs::File::open(file)?;
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if filled > max_bytes {
        return Err(std::io::Error::other(format!(
            "it is larger than {}",
            human_size(max_bytes)
        )));
    }
    buffer.truncate(filled);
    Ok(buffer)
}

/// `64 KiB`, `1 MiB`, or bytes when neither divides.
fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(64 * 1024), "64 KiB");
        assert_eq!(human_size(1024 * 1024), "1 MiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
