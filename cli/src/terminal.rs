//! Server text shown to a person. A response body or an API message is chosen by the
//! server, and control sequences in it could retitle the terminal, redraw or hide what is
//! on screen, or on some terminals type text back into the shell. So control characters
//! never reach a terminal raw: they are shown as escapes such as `\u{1b}`. Output that is
//! piped is left byte for byte, since the program reading it wants what the server sent.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::IsTerminal;

/// The characters a terminal may act on: the C0 controls, DEL and the C1 controls
/// (U+0080–U+009F), exactly Unicode's `Cc` category. Newline and tab are only layout.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn push_escaped(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// `bytes` as a terminal may show them: newlines and tabs kept; other control characters
/// written as `\u{1b}`; bytes that are not UTF-8 written as `\x9b`, since a terminal
/// not in UTF-8 mode reads a lone 0x9B as the start of a control sequence.
pub fn for_terminal(bytes: &[u8]) -> Cow<'_, [u8]> {
    let clean = std::str::from_utf8(bytes).is_ok_and(|text| !text.chars().any(acts_on_terminal));
    if clean {
        return Cow::Borrowed(bytes);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if acts_on_terminal(c) {
                push_escaped(&mut out, c);
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    Cow::Owned(out.into_bytes())
}

/// `text` as one line of an error message, safe on a terminal: newlines and tabs become
/// spaces, other control characters escapes (`\u{1b}`).
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A response body for stdout: neutralised when a person is reading it on a terminal,
/// untouched when it is piped or redirected.
pub fn for_stdout(bytes: &[u8]) -> Cow<'_, [u8]> {
    if std::io::stdout().is_terminal() {
        for_terminal(bytes)
    } else {
        Cow::Borrowed(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(bytes: &[u8]) -> String {
        String::from_utf8(for_terminal(bytes).into_owned()).unwrap()
    }

    #[test]
    fn text_without_controls_is_borrowed_unchanged() {
        let text = "{\n\t\"name\": \"Zoë ✓ 日本\"\n}\n".as_bytes();
        assert!(matches!(for_terminal(text), Cow::Borrowed(_)));
        assert!(matches!(
            one_line("API error 404: not found ✓"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn c0_del_and_c1_controls_are_shown_as_escapes() {
        assert_eq!(
            shown(b"a\x1b]0;title\x07b\x1b[2Jc"),
            r"a\u{1b}]0;title\u{7}b\u{1b}[2Jc"
        );
        assert_eq!(
            shown(b"over\rwrite\x00\x08\x7f"),
            r"over\u{d}write\u{0}\u{8}\u{7f}"
        );
        // U+009B (CSI) and U+0085 (NEL) as UTF-8.
        assert_eq!(shown("x\u{9b}31my\u{85}".as_bytes()), r"x\u{9b}31my\u{85}");
        // Just outside the ranges: kept.
        assert_eq!(shown("\u{a0}\u{7e}".as_bytes()), "\u{a0}~");
    }

    #[test]
    fn newlines_and_tabs_keep_the_layout() {
        assert_eq!(shown(b"a\n\tb\x1b"), "a\n\tb\\u{1b}");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_as_hex() {
        assert_eq!(shown(b"a\x9b31mb\xff\xc3"), r"a\x9b31mb\xff\xc3");
        assert_eq!(shown("é\x1b".as_bytes()), r"é\u{1b}");
    }

    #[test]
    fn error_lines_stay_one_line_and_show_controls() {
        assert_eq!(
            one_line("bad\u{1b}[31m value\nsecond\tline\r\u{9b}"),
            r"bad\u{1b}[31m value second line\u{d}\u{9b}"
        );
    }
}
