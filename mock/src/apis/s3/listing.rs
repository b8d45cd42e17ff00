//! Listing a bucket: ListObjectsV2 (`?list-type=2`, paged by an opaque continuation
//! token) and the first ListObjects (paged by `marker`). Keys come in UTF-8 byte order;
//! with a delimiter, the keys that hold it after the prefix are rolled up into one
//! `CommonPrefixes` entry each, which counts as one toward `max-keys`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Bound;

use super::errors::{S3Error, invalid_argument};
use super::store::{Bucket, Object};
use super::target::Query;
use super::xml::Xml;
use super::{Owner, iso8601_millis};

/// The most keys one page holds, and the default.
pub(super) const MAX_KEYS: usize = 1000;

/// The parameters each version takes.
pub(super) const V2_PARAMETERS: &[&str] = &[
    "list-type",
    "prefix",
    "delimiter",
    "max-keys",
    "continuation-token",
    "start-after",
    "fetch-owner",
    "encoding-type",
];
pub(super) const V1_PARAMETERS: &[&str] =
    &["prefix", "delimiter", "marker", "max-keys", "encoding-type"];

/// One page: the objects, the common prefixes, and whether more follow.
#[derive(Default)]
struct Page<'a> {
    contents: Vec<(&'a str, &'a Object)>,
    prefixes: Vec<&'a str>,
    truncated: bool,
    /// The last entry given, key or common prefix: where the next page starts.
    last: Option<&'a str>,
}

/// Lists the keys under `prefix` that come after `after`, at most `max` entries.
///
/// A page can end on a common prefix. The next one then starts after every key under
/// it, or those keys would be rolled up into the same prefix again: `after` names a
/// common prefix exactly when, with this prefix and delimiter, it is its own roll-up.
fn page<'a>(
    objects: &'a BTreeMap<String, Object>,
    prefix: &str,
    delimiter: Option<&str>,
    after: Option<&str>,
    max: usize,
) -> Page<'a> {
    let skip_under = after.filter(|after| {
        after.starts_with(prefix) && roll_up(after, prefix, delimiter) == Some(*after)
    });
    let start = match after {
        Some(after) if after >= prefix => Bound::Excluded(after),
        _ => Bound::Included(prefix),
    };
    let mut page = Page::default();
    for (key, object) in objects.range::<str, _>((start, Bound::Unbounded)) {
        let key = key.as_str();
        if !key.starts_with(prefix) {
            break; // past every key under the prefix
        }
        if skip_under.is_some_and(|under| key.starts_with(under)) {
            continue;
        }
        let rolled = roll_up(key, prefix, delimiter);
        if rolled.is_some() && page.prefixes.last().copied() == rolled {
            continue;
        }
        if page.contents.len() + page.prefixes.len() >= max {
            // Asked for none, nothing to continue from: a client paging on would never
            // move on.
            page.truncated = max > 0;
            break;
        }
        match rolled {
            Some(common) => page.prefixes.push(common),
            None => page.contents.push((key, object)),
        }
        page.last = Some(rolled.unwrap_or(key));
    }
    page
}

/// The common prefix `key` is rolled up into: up to the first delimiter after the
/// prefix, included; `None` when there is no delimiter or the key holds none there.
fn roll_up<'k>(key: &'k str, prefix: &str, delimiter: Option<&str>) -> Option<&'k str> {
    let delimiter = delimiter?;
    let rest = key.get(prefix.len()..)?;
    let at = rest.find(delimiter)?;
    key.get(..prefix.len() + at + delimiter.len())
}

/// What both versions read from the query.
struct Listing<'q> {
    prefix: &'q str,
    delimiter: Option<&'q str>,
    max_keys: usize,
    url_encoded: bool,
}

impl<'q> Listing<'q> {
    fn read(query: &'q Query) -> Result<Self, S3Error> {
        let max_keys = match query.get("max-keys") {
            None => MAX_KEYS,
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| invalid_argument("max-keys must be a non-negative integer"))?
                .min(MAX_KEYS),
        };
        let url_encoded = match query.get("encoding-type") {
            None => false,
            Some("url") => true,
            Some(_) => {
                return Err(invalid_argument(
                    "Invalid Encoding Method specified in Request",
                ));
            }
        };
        Ok(Listing {
            prefix: query.get("prefix").unwrap_or(""),
            delimiter: query.get("delimiter").filter(|d| !d.is_empty()),
            max_keys,
            url_encoded,
        })
    }

    /// A key or prefix as the answer carries it: as it is, or URL-encoded when asked
    /// (every byte but the unreserved ones and `/`, which both `unquote` and
    /// `unquote_plus` read back).
    fn shown(&self, text: &str) -> String {
        if !self.url_encoded {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for byte in text.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
                out.push(char::from(byte));
            } else {
                let _ = write!(out, "%{byte:02X}");
            }
        }
        out
    }

    /// The parameters both versions echo, then the entries.
    fn write_page(&self, xml: &mut Xml, page: &Page<'_>, owner: Option<&Owner>) {
        if self.url_encoded {
            xml.text("EncodingType", "url");
        }
        for (key, object) in &page.contents {
            xml.open("Contents")
                .text("Key", &self.shown(key))
                .text("LastModified", &iso8601_millis(object.modified))
                .text("ETag", &object.etag)
                .text("Size", &object.body.len().to_string());
            if let Some(owner) = owner {
                owner.write(xml);
            }
            xml.text("StorageClass", "STANDARD").close("Contents");
        }
        for common in &page.prefixes {
            xml.open("CommonPrefixes")
                .text("Prefix", &self.shown(common))
                .close("CommonPrefixes");
        }
    }
}

/// `GET /bucket?list-type=2`.
pub(super) fn list_v2(
    name: &str,
    bucket: &Bucket,
    query: &Query,
    owner: &Owner,
) -> Result<String, S3Error> {
    let listing = Listing::read(query)?;
    let token = query.get("continuation-token");
    let after = match token {
        Some(token) => Some(decode_token(token)?),
        None => query.get("start-after").map(str::to_owned),
    };
    let fetch_owner = match query.get("fetch-owner") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(invalid_argument("fetch-owner must be true or false")),
    };
    let page = page(
        &bucket.objects,
        listing.prefix,
        listing.delimiter,
        after.as_deref(),
        listing.max_keys,
    );
    let mut xml = Xml::new();
    xml.root("ListBucketResult")
        .text("Name", name)
        .text("Prefix", &listing.shown(listing.prefix));
    if let Some(delimiter) = listing.delimiter {
        xml.text("Delimiter", &listing.shown(delimiter));
    }
    xml.text("MaxKeys", &listing.max_keys.to_string())
        .text(
            "KeyCount",
            &(page.contents.len() + page.prefixes.len()).to_string(),
        )
        .text("IsTruncated", if page.truncated { "true" } else { "false" });
    if let Some(token) = token {
        xml.text("ContinuationToken", token);
    }
    if let (true, Some(last)) = (page.truncated, page.last) {
        xml.text("NextContinuationToken", &encode_token(last));
    }
    if let (None, Some(start_after)) = (token, query.get("start-after")) {
        xml.text("StartAfter", &listing.shown(start_after));
    }
    listing.write_page(&mut xml, &page, fetch_owner.then_some(owner));
    Ok(xml.close("ListBucketResult").finish())
}

/// `GET /bucket`: the first version, whose objects always name their owner.
pub(super) fn list_v1(
    name: &str,
    bucket: &Bucket,
    query: &Query,
    owner: &Owner,
) -> Result<String, S3Error> {
    let listing = Listing::read(query)?;
    let marker = query.get("marker").unwrap_or("");
    let page = page(
        &bucket.objects,
        listing.prefix,
        listing.delimiter,
        Some(marker).filter(|marker| !marker.is_empty()),
        listing.max_keys,
    );
    let mut xml = Xml::new();
    xml.root("ListBucketResult")
        .text("Name", name)
        .text("Prefix", &listing.shown(listing.prefix))
        .text("Marker", &listing.shown(marker))
        .text("MaxKeys", &listing.max_keys.to_string());
    if let Some(delimiter) = listing.delimiter {
        xml.text("Delimiter", &listing.shown(delimiter));
    }
    xml.text("IsTruncated", if page.truncated { "true" } else { "false" });
    if let (true, Some(last)) = (page.truncated, page.last) {
        xml.text("NextMarker", &listing.shown(last));
    }
    listing.write_page(&mut xml, &page, Some(owner));
    Ok(xml.close("ListBucketResult").finish())
}

/// The continuation token: the last entry of the page, hex-encoded. Opaque to clients,
/// which hand it back as it is; readable here without keeping any state per listing.
fn encode_token(last: &str) -> String {
    let mut out = String::with_capacity(last.len() * 2);
    for byte in last.bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

fn decode_token(token: &str) -> Result<String, S3Error> {
    let bad = || invalid_argument("The continuation token provided is incorrect");
    if token.len() % 2 != 0 {
        return Err(bad());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|at| {
            token
                .get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        })
        .collect::<Result<Vec<u8>, S3Error>>()?;
    String::from_utf8(bytes).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn objects(keys: &[&str]) -> BTreeMap<String, Object> {
        keys.iter()
            .map(|key| {
                let object = Object {
                    body: Bytes::new(),
                    etag: String::new(),
                    modified: 0,
                    headers: Vec::new(),
                };
                ((*key).to_owned(), object)
            })
            .collect()
    }

    /// Every page of a listing, as `key` and `prefix/` entries, paging on the last entry.
    fn all_pages(
        objects: &BTreeMap<String, Object>,
        prefix: &str,
        delimiter: Option<&str>,
        max: usize,
    ) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = page(objects, prefix, delimiter, after.as_deref(), max);
            let mut entries: Vec<String> =
                page.contents.iter().map(|(k, _)| (*k).to_owned()).collect();
            entries.extend(page.prefixes.iter().map(|p| format!("[{p}]")));
            pages.push(entries);
            if !page.truncated {
                return pages;
            }
            after = page.last.map(str::to_owned);
            assert!(pages.len() < 100, "paging does not end");
        }
    }

    #[test]
    fn keys_are_listed_in_byte_order_and_rolled_up_by_the_delimiter() {
        let objects = objects(&["a/1", "a/2", "a/b/3", "b", "c/4", "d", "é", "Z"]);
        assert_eq!(
            all_pages(&objects, "", None, 1000),
            vec![vec!["Z", "a/1", "a/2", "a/b/3", "b", "c/4", "d", "é"]]
        );
        assert_eq!(
            all_pages(&objects, "", Some("/"), 1000),
            vec![vec!["Z", "b", "d", "é", "[a/]", "[c/]"]]
        );
        assert_eq!(
            all_pages(&objects, "a/", Some("/"), 1000),
            vec![vec!["a/1", "a/2", "[a/b/]"]]
        );
        // Pages of two: a common prefix ends a page, and the next starts after its keys.
        assert_eq!(
            all_pages(&objects, "", Some("/"), 2),
            vec![vec!["Z", "[a/]"], vec!["b", "[c/]"], vec!["d", "é"],]
        );
        assert_eq!(all_pages(&objects, "", None, 3).concat().len(), 8);
        assert_eq!(
            all_pages(&objects, "x", Some("/"), 2),
            vec![Vec::<String>::new()]
        );
        // None asked: nothing, and not truncated.
        let none = page(&objects, "", None, None, 0);
        assert!(none.contents.is_empty() && !none.truncated);
        // Starting after a key past the prefix's keys.
        assert!(
            page(&objects, "a/", None, Some("b"), 10)
                .contents
                .is_empty()
        );
    }

    #[test]
    fn tokens_round_trip_and_refuse_what_they_cannot_read() {
        for key in ["", "a/b c", "été/✓"] {
            assert_eq!(decode_token(&encode_token(key)).unwrap(), key);
        }
        for bad in ["a", "zz", "c3", "é0"] {
            assert!(decode_token(bad).is_err(), "{bad}");
        }
    }
}
