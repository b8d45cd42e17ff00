//! Integers written in decimal on the stack: the signing paths put a timestamp in every
//! request, and `to_string` would allocate for it each time.

/// An `i64` in decimal, as `to_string` writes it (a `-` for negatives, no leading zeros),
/// held inline: at most 20 bytes (`-9223372036854775808`).
#[derive(Clone, Copy)]
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(value: i64) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        // Through the magnitude as u64, so that i64::MIN needs no special case.
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

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[self.start..]
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and `-` were written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;
    use proptest::prelude::*;

    #[test]
    fn the_edges() {
        for value in [
            0,
            1,
            -1,
            9,
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

    proptest! {
        #[test]
        fn writes_what_to_string_writes(value in any::<i64>()) {
            let decimal = Decimal::new(value);
            prop_assert_eq!(decimal.as_str(), value.to_string());
        }
    }
}
