//! How an S3 request names its bucket: in the path (`https://endpoint/bucket/key`, which
//! every S3-compatible store takes) or in the host name (`https://bucket.endpoint/key`,
//! AWS's virtual-hosted style, the one AWS recommends).

use std::borrow::Cow;

/// Where the bucket goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Addressing {
    /// `https://endpoint/bucket/key`: the path as rendered (the default, and the only
    /// form most S3-compatible stores and the mock take).
    #[default]
    PathStyle,
    /// `https://bucket.endpoint/key`: the path's first segment becomes the host's first
    /// label. A bucket that cannot be a host label (upper case, `_`, a `.` under https,
    /// whose certificate would not match) and an endpoint that is an IP address stay
    /// path-style, as AWS's SDKs do.
    VirtualHosted,
}

/// The base URL and path for `path` under `base_url` with `addressing`.
pub(crate) fn address<'b, 'p>(
    addressing: Addressing,
    base_url: &'b str,
    path: &'p str,
) -> (Cow<'b, str>, Cow<'p, str>) {
    let path_style = (Cow::Borrowed(base_url), Cow::Borrowed(path));
    if addressing == Addressing::PathStyle {
        return path_style;
    }
    let Some((scheme, rest)) = base_url.split_once("://") else {
        return path_style;
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (authority, base_path) = rest.split_at(host_end);
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority, |(host, _)| host);
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let Some(after_slash) = path.strip_prefix('/') else {
        return path_style;
    };
    let (bucket, key) = match after_slash.find('/') {
        Some(at) => (&after_slash[..at], &after_slash[at..]),
        None => (after_slash, ""),
    };
    if is_ip || !is_host_label(bucket, scheme == "https") {
        return path_style;
    }
    let base = format!("{scheme}://{bucket}.{authority}{base_path}");
    let key = if key.is_empty() { "/" } else { key };
    (Cow::Owned(base), Cow::Borrowed(key))
}

/// A bucket name that can be the first label of a host name as it is: 3 to 63 lower-case
/// letters, digits and `-` (and `.` over plain http), starting and ending alphanumeric.
fn is_host_label(bucket: &str, https: bool) -> bool {
    let bytes = bucket.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|&b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (b == b'.' && !https)
        })
        && !bucket.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn virtual_hosted(base: &str, path: &str) -> (String, String) {
        let (base, path) = address(Addressing::VirtualHosted, base, path);
        (base.into_owned(), path.into_owned())
    }

    #[test]
    fn the_bucket_moves_to_the_host() {
        let aws = "https://s3.eu-west-3.amazonaws.com";
        assert_eq!(
            virtual_hosted(aws, "/reports/2024/q3%20final.pdf"),
            (
                "https://reports.s3.eu-west-3.amazonaws.com".to_owned(),
                "/2024/q3%20final.pdf".to_owned()
            )
        );
        assert_eq!(
            virtual_hosted(aws, "/reports"),
            (
                "https://reports.s3.eu-west-3.amazonaws.com".to_owned(),
                "/".to_owned()
            )
        );
        assert_eq!(
            virtual_hosted("http://s3.test:9000/prefix", "/my.bucket/k"),
            (
                "http://my.bucket.s3.test:9000/prefix".to_owned(),
                "/k".to_owned()
            )
        );
    }

    #[test]
    fn what_cannot_be_a_host_label_stays_in_the_path() {
        let aws = "https://s3.amazonaws.com";
        for path in [
            "/",
            "/My-Bucket/k",
            "/my_bucket/k",
            "/my.bucket/k",
            "/ab/k",
            "/-ab-/k",
        ] {
            let (base, kept) = virtual_hosted(aws, path);
            assert_eq!((base.as_str(), kept.as_str()), (aws, path), "{path}");
        }
        for base in ["http://127.0.0.1:9000", "http://[::1]:9000"] {
            assert_eq!(virtual_hosted(base, "/bucket/k").0, base);
        }
        let (base, path) = address(
            Addressing::PathStyle,
            "https://s3.amazonaws.com",
            "/bucket/k",
        );
        assert_eq!((&*base, &*path), ("https://s3.amazonaws.com", "/bucket/k"));
    }
}
