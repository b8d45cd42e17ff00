//! The account's API credentials: kept, bounded, evicted, and matched against the access
//! rules they were issued with.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use signed_api_runtime::schemes::OvhVerifier;

use crate::context::iso8601;

/// The id of the credential configured at start.
const CONFIGURED_CREDENTIAL_ID: u64 = 1;

/// The account's credentials: the one configured at start (kept from its first use, with
/// full access) and those issued by `POST /auth/credential`.
///
/// That call needs only the application key, so issued credentials are bounded: past
/// `max_issued` one is evicted ([`Standing`] says which), and its consumer key is removed
/// from the verifier in the same step, so that the verifier accepts exactly the issued
/// keys kept here (and the configured one). Every change that touches the verifier is made
/// with its write lock held, taken before the store's lock, as everywhere in this API.
/// Lookups by consumer key are one hash lookup, by id and for eviction O(log n).
pub(super) struct Credentials {
    by_key: HashMap<String, Credential>,
    /// Consumer keys by credential id (`/me/api/credential/{id}`), in id order.
    keys_by_id: BTreeMap<u64, String>,
    /// The issued credentials, in the order they are evicted.
    eviction: BTreeSet<(Standing, u64)>,
    max_issued: usize,
    next_id: u64,
}

/// Which issued credentials go first when the store is full: those logged out (nobody
/// can use them again), then those never used, then those in use; the oldest first within
/// each. The mock validates a credential when it issues it; one that has signed nothing
/// stands for OVH's `pendingValidation`, which is what a flood of requests leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Expired,
    Unused,
    Used,
}

impl Credentials {
    pub(super) fn new(max_issued: usize) -> Self {
        Credentials {
            by_key: HashMap::new(),
            keys_by_id: BTreeMap::new(),
            eviction: BTreeSet::new(),
            max_issued: max_issued.max(1),
            next_id: CONFIGURED_CREDENTIAL_ID + 1,
        }
    }

    pub(super) fn get(&self, consumer_key: &str) -> Option<&Credential> {
        self.by_key.get(consumer_key)
    }

    /// The consumer key of the credential with this id, as a path gives it.
    pub(super) fn key_of(&self, id: &str) -> Option<&str> {
        let id: u64 = id.parse().ok()?;
        self.keys_by_id.get(&id).map(String::as_str)
    }

    /// Every credential, in id order.
    pub(super) fn all(&self) -> impl Iterator<Item = &Credential> {
        self.keys_by_id
            .values()
            .filter_map(|consumer_key| self.by_key.get(consumer_key))
    }

    /// Issues a credential to `consumer_key` and has the verifier accept it, first
    /// evicting as many as it takes to stay within `max_issued`.
    pub(super) fn issue(
        &mut self,
        verifier: &mut OvhVerifier,
        consumer_key: String,
        make: impl FnOnce(u64) -> Credential,
    ) {
        while self.eviction.len() >= self.max_issued {
            let Some((_, id)) = self.eviction.pop_first() else {
                break;
            };
            if let Some(evicted) = self.keys_by_id.remove(&id) {
                self.by_key.remove(&evicted);
                verifier.remove_consumer_key(&evicted);
            }
        }
        let credential = make(self.next_id);
        self.next_id += 1;
        self.eviction
            .insert((credential.standing(), credential.credential_id));
        self.keys_by_id
            .insert(credential.credential_id, consumer_key.clone());
        verifier.add_consumer_key(consumer_key.clone());
        self.by_key.insert(consumer_key, credential);
    }

    /// Keeps the configured credential under `consumer_key` if no credential is kept
    /// under it: called with a key the verifier has just accepted, under its read lock,
    /// when no credential can be issued, evicted or revoked, so such a key is the
    /// configured one, on its first use.
    pub(super) fn keep_configured(&mut self, consumer_key: &str, now: i64) {
        if !self.by_key.contains_key(consumer_key) {
            self.keys_by_id
                .insert(CONFIGURED_CREDENTIAL_ID, consumer_key.to_owned());
            self.by_key
                .insert(consumer_key.to_owned(), Credential::configured(now));
        }
    }

    /// Changes a credential, keeping its place in the eviction order right.
    pub(super) fn update(
        &mut self,
        consumer_key: &str,
        change: impl FnOnce(&mut Credential),
    ) -> Option<&Credential> {
        let credential = self.by_key.get_mut(consumer_key)?;
        let before = credential.standing();
        change(credential);
        let after = credential.standing();
        let id = credential.credential_id;
        if before != after && self.eviction.remove(&(before, id)) {
            self.eviction.insert((after, id));
        }
        Some(credential)
    }

    /// Forgets a credential and has the verifier refuse its key; whether there was one.
    pub(super) fn revoke(&mut self, verifier: &mut OvhVerifier, consumer_key: &str) -> bool {
        let Some(credential) = self.by_key.remove(consumer_key) else {
            return false;
        };
        let id = credential.credential_id;
        self.keys_by_id.remove(&id);
        self.eviction.remove(&(credential.standing(), id));
        verifier.remove_consumer_key(consumer_key);
        true
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct AccessRule {
    pub(super) method: String,
    pub(super) path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Credential {
    pub(super) credential_id: u64,
    pub(super) application_id: u64,
    pub(super) creation: String,
    pub(super) expiration: Option<String>,
    pub(super) last_use: Option<String>,
    pub(super) ovh_support: bool,
    #[serde(rename = "allowedIPs")]
    pub(super) allowed_ips: Option<Vec<String>>,
    pub(super) rules: Vec<AccessRule>,
    pub(super) status: &'static str,
}

impl Credential {
    /// The credential configured at start: every verb on every path, as a test key
    /// usually has.
    pub(super) fn configured(now: i64) -> Self {
        Credential {
            credential_id: CONFIGURED_CREDENTIAL_ID,
            application_id: 1,
            creation: iso8601(now),
            expiration: None,
            last_use: None,
            ovh_support: false,
            allowed_ips: None,
            rules: ["GET", "POST", "PUT", "DELETE"]
                .iter()
                .map(|method| AccessRule {
                    method: (*method).to_owned(),
                    path: "/*".to_owned(),
                })
                .collect(),
            status: "validated",
        }
    }

    fn standing(&self) -> Standing {
        match (self.status, &self.last_use) {
            ("validated", None) => Standing::Unused,
            ("validated", Some(_)) => Standing::Used,
            _ => Standing::Expired,
        }
    }

    pub(super) fn allows(&self, method: &str, path: &str) -> bool {
        self.rules.iter().any(|rule| {
            rule.method.eq_ignore_ascii_case(method) && wildcard_match(&rule.path, path)
        })
    }
}

/// Whether `path` matches an access-rule pattern, where `*` stands for any text.
///
/// Patterns come from callers (`POST /auth/credential`), so the match never backtracks
/// further than the last `*`: at most length × length steps, whatever the pattern (a
/// recursive split on every `*` is exponential in their number). Bytes are compared:
/// a literal, valid UTF-8, can only match at a character boundary.
fn wildcard_match(pattern: &str, path: &str) -> bool {
    let (pattern, path) = (pattern.as_bytes(), path.as_bytes());
    let (mut p, mut s) = (0, 0);
    // Just after the last `*` seen, and where in the path the text after it was last tried.
    let mut retry: Option<(usize, usize)> = None;
    while s < path.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                retry = Some((p, s));
            }
            Some(byte) if *byte == path[s] => {
                p += 1;
                s += 1;
            }
            _ => match retry {
                Some((after_star, end)) => {
                    (p, s) = (after_star, end + 1);
                    retry = Some((after_star, end + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|byte| *byte == b'*')
}

#[cfg(test)]
mod tests {
    use signed_api_runtime::nonce::{AlphanumericNonce, NonceSource};

    use super::*;

    #[test]
    fn access_rule_patterns_match_with_wildcards() {
        assert!(wildcard_match("/*", "/me"));
        assert!(wildcard_match("/domain/*", "/domain/zone/x/record"));
        assert!(!wildcard_match("/domain/*", "/me"));
        assert!(wildcard_match("/me", "/me"));
        assert!(!wildcard_match("/me", "/me/bill"));
        assert!(wildcard_match("/a/*/c", "/a/b/c"));
        assert!(!wildcard_match("/a/*/c", "/a/b/d"));
        assert!(wildcard_match("/a*", "/a"));
        assert!(wildcard_match("/*é*", "/xéy"));
        assert!(!wildcard_match("/*é", "/xé/"));
        assert!(wildcard_match("/*/record/*", "/domain/zone/x/record/1"));
        // A caller's pattern with many stars takes no time, match or not.
        let stars = format!("/{}b", "*a".repeat(40));
        let path = format!("/{}", "a".repeat(200));
        assert!(!wildcard_match(&stars, &path));
        assert!(wildcard_match(&stars, &format!("{path}b")));
    }

    /// Issued credentials stay within the bound, the verifier accepts exactly the keys
    /// kept, and eviction takes logged-out credentials first, then unused ones, the
    /// oldest first.
    #[test]
    fn issued_credentials_are_bounded_and_the_verifier_agrees() {
        use signed_api_runtime::schemes::OvhCredentials;
        let configured = OvhCredentials::new("ak", "as")
            .unwrap()
            .with_consumer_key("configured")
            .unwrap();
        let mut verifier = OvhVerifier::new(configured, 300);
        let mut credentials = Credentials::new(3);
        let issue = |credentials: &mut Credentials, verifier: &mut OvhVerifier, key: &str| {
            credentials.issue(verifier, key.to_owned(), |id| Credential {
                credential_id: id,
                ..Credential::configured(0)
            });
        };
        credentials.keep_configured("configured", 0);
        for key in ["a", "b", "c"] {
            issue(&mut credentials, &mut verifier, key);
        }
        credentials.update("a", |c| c.last_use = Some("now".into()));
        credentials.update("c", |c| c.status = "expired");
        issue(&mut credentials, &mut verifier, "d"); // evicts c (logged out)
        issue(&mut credentials, &mut verifier, "e"); // evicts b (unused, oldest)
        issue(&mut credentials, &mut verifier, "f"); // evicts d (unused, oldest)
        let kept: Vec<&str> = credentials
            .keys_by_id
            .values()
            .map(String::as_str)
            .collect();
        assert_eq!(kept, ["configured", "a", "e", "f"]);
        assert_eq!(verifier.consumer_key_count(), kept.len());
        for gone in ["b", "c", "d"] {
            assert!(!verifier.remove_consumer_key(gone), "{gone}");
        }
        for _ in 0..100 {
            let key = AlphanumericNonce::new(8).nonce(0);
            issue(&mut credentials, &mut verifier, &key);
            assert_eq!(verifier.consumer_key_count(), credentials.by_key.len());
            assert_eq!(credentials.keys_by_id.len(), credentials.by_key.len());
            assert_eq!(credentials.eviction.len(), 3);
        }
        assert!(credentials.revoke(&mut verifier, "configured"));
        assert_eq!(verifier.consumer_key_count(), 3);
    }
}
