//! Integers as decimal text without a heap allocation.
//!
//! Timestamps go into a string to sign and into a header on every call. `to_string` would
//! allocate a `String` for each (twice per OVH signature); this writes the digits into a
//! buffer on the stack, and only the header value, which must own its bytes, allocates.

/// The decimal text of an `i64`, held inline: at most 20 bytes (`-9223372036854775808`).
#[derive(Clone, Copy)]
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    /// The text of `value`, as `value.to_string()` writes it.
    pub(crate) fn new(value: i64) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        // `unsigned_abs` covers `i64::MIN`, whose absolute value is not an `i64`.
        let mut rest = value.unsigned_abs();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if value < 0 {
            start -= 1;
            digits[start] = b'-';
        }
        Decimal { digits, start }
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and `-` are ever written.
        std::str::from_utf8(&self.digits[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_to_string_writes() {
        for value in [
            0,
            7,
            -7,
            10,
            1_700_000_000,
            -1_700_000_000,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            assert_eq!(Decimal::new(value).as_str(), value.to_string());
        }
    }
}
