//! The five APIs the mock serves and the path prefix of each. The prefix and the name come
//! from each scheme's descriptor: the mock keeps no table of its own.

use std::fmt;

use signed_api_runtime::scheme::SchemeDescriptor;
use signed_api_runtime::schemes::{armor, nops, ovh, qredo, sigv4};

/// One of the APIs the mock serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// OVH, under `/ovh/1.0`.
    Ovh,
    /// nOps, under `/nops`.
    Nops,
    /// Qredo Partner API, under `/qredo/api/v1/p`.
    Qredo,
    /// Armor, under `/armor`.
    Armor,
    /// S3 (AWS SigV4), under `/s3`: buckets and objects, path-style.
    S3,
}

impl Api {
    /// All five, in a fixed order.
    pub const ALL: [Api; 5] = [Api::Ovh, Api::Nops, Api::Qredo, Api::Armor, Api::S3];

    /// The scheme the API signs with.
    pub fn descriptor(self) -> &'static SchemeDescriptor {
        match self {
            Api::Ovh => &ovh::DESCRIPTOR,
            Api::Nops => &nops::DESCRIPTOR,
            Api::Qredo => &qredo::DESCRIPTOR,
            Api::Armor => &armor::DESCRIPTOR,
            Api::S3 => &sigv4::DESCRIPTOR,
        }
    }

    /// The path prefix the API is served under; a public contract (the README's mock
    /// section; users' scripts call these paths), never to be changed.
    pub fn prefix(self) -> &'static str {
        self.descriptor().mock_prefix
    }

    /// The scheme's name as the command line spells it (`sigv4` for S3: the API is named
    /// after the scheme it signs with, as the other four are).
    pub fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// Every API's `property`, as an English list: "a, b, c and d".
    pub(crate) fn list(property: impl Fn(Api) -> &'static str) -> String {
        let items: Vec<&str> = Api::ALL.into_iter().map(property).collect();
        match items.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The API a request path belongs to, and the path relative to its prefix (`/` when
    /// the path is the prefix itself). A prefix only matches whole segments: `/nopsx` is
    /// no API.
    pub fn split_path(path: &str) -> Option<(Api, &str)> {
        Api::ALL.into_iter().find_map(|api| {
            let rest = path.strip_prefix(api.prefix())?;
            match rest {
                "" => Some((api, "/")),
                _ if rest.starts_with('/') => Some((api, rest)),
                _ => None,
            }
        })
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_segments() {
        assert_eq!(Api::split_path("/ovh/1.0/me"), Some((Api::Ovh, "/me")));
        assert_eq!(Api::split_path("/nops"), Some((Api::Nops, "/")));
        assert_eq!(
            Api::split_path("/qredo/api/v1/p/assets"),
            Some((Api::Qredo, "/assets"))
        );
        assert_eq!(
            Api::split_path("/s3/bucket/a%2Fb"),
            Some((Api::S3, "/bucket/a%2Fb"))
        );
        assert_eq!(Api::split_path("/s3x"), None);
        assert_eq!(Api::split_path("/nopsx/a"), None);
        assert_eq!(Api::split_path("/ovh/1.01/me"), None);
        assert_eq!(Api::split_path("/"), None);
        assert_eq!(
            Api::list(Api::prefix),
            "/ovh/1.0, /nops, /qredo/api/v1/p, /armor and /s3"
        );
    }
}
