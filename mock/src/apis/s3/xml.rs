//! A small XML writer for S3's answers: elements written in order, text escaped. S3's
//! documents are a few levels of elements holding text, with no attributes but the
//! namespace of the root; this is all they need.

use std::fmt::Write as _;

/// The namespace of S3's documents.
pub(super) const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// A document being written. Tag names come from this module's callers, never from a
/// request; text does, and is always escaped.
pub(super) struct Xml {
    out: String,
}

impl Xml {
    /// A document with the XML declaration S3 writes.
    pub(super) fn new() -> Self {
        Xml {
            out: String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#),
        }
    }

    /// Opens the root element, in S3's namespace.
    pub(super) fn root(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, r#"<{tag} xmlns="{NAMESPACE}">"#);
        self
    }

    /// Opens an element.
    pub(super) fn open(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "<{tag}>");
        self
    }

    /// Closes an element.
    pub(super) fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "</{tag}>");
        self
    }

    /// An element holding `text`, escaped.
    pub(super) fn text(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag);
        self.chars(text);
        self.close(tag)
    }

    /// `text`, escaped, in the element open (a root that holds text only).
    pub(super) fn chars(&mut self, text: &str) -> &mut Self {
        escape(text, &mut self.out);
        self
    }

    /// The document.
    pub(super) fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// Writes `text` as XML character data: the five markup characters as entities, and the
/// control characters as character references. Carriage return is one of them, so that
/// a reader's line-end normalisation gives it back; the other controls are not allowed
/// in XML 1.0 even as references, which is why S3 offers `encoding-type=url` for keys
/// that hold them; a reference at least keeps the document readable to lenient readers
/// and says which character it was.
pub(super) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_tags_nest_in_order() {
        let document = Xml::new()
            .root("R")
            .text("Key", r#"a&b<c>"d"'e'"#)
            .open("Inner")
            .text("K", "x\ry\u{1}é")
            .close("Inner")
            .close("R")
            .finish();
        assert_eq!(
            document,
            r#"<?xml version="1.0" encoding="UTF-8"?><R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;</Key><Inner><K>x&#xD;y&#x1;é</K></Inner></R>"#
        );
    }
}
