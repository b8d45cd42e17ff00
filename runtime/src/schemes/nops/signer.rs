//! The client side: the string to sign, the signature header, and the per-day cache that
//! spares an RSA operation on every call.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::HeaderValue;

use crate::error::Result;
use crate::scheme::{
    CredentialHeader, Headers, ResponseReader, Scheme, SignableRequest, SigningParams,
    StringToSign, header_value,
};

use super::string_to_sign::{string_to_sign, utc_date};
use super::{API_KEY_HEADER, NopsCredentials, NopsResponses, SIGNATURE_HEADER};

/// Signatures kept before the cache is emptied (paths with ids in them are many).
const CACHE_CAPACITY: usize = 1024;

/// Where the API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NopsKeyPlacement {
    /// In the query, as `api_key=KEY` (nOps' documented form, the default).
    #[default]
    Query,
    /// In the `X-Nops-Api-Key` header (as nOps' Terraform provider does); keeps the key
    /// out of URLs.
    Header,
}

/// The nOps signing scheme.
pub struct NopsScheme {
    credentials: NopsCredentials,
    placement: NopsKeyPlacement,
    cache: Mutex<SignatureCache>,
}

/// Today's signatures by path. A new day empties it, and so does reaching its capacity
/// (paths with ids in them are many).
#[derive(Default)]
struct SignatureCache {
    day: i64,
    by_path: HashMap<String, HeaderValue>,
}

impl NopsScheme {
    /// A scheme with the key in the query.
    pub fn new(credentials: NopsCredentials) -> Self {
        NopsScheme {
            credentials,
            placement: NopsKeyPlacement::default(),
            cache: Mutex::default(),
        }
    }

    /// Chooses where the API key travels.
    pub fn key_placement(mut self, placement: NopsKeyPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// How many signatures are cached now (for tests and metrics).
    pub fn cached_signatures(&self) -> usize {
        self.cache.lock().map_or(0, |cache| cache.by_path.len())
    }

    fn cached(&self, day: i64, path: &str) -> Option<HeaderValue> {
        let cache = self.cache.lock().ok()?;
        (cache.day == day).then(|| cache.by_path.get(path).cloned())?
    }

    fn remember(&self, day: i64, path: &str, signature: HeaderValue) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.day != day || cache.by_path.len() >= CACHE_CAPACITY {
                cache.by_path.clear();
                cache.day = day;
            }
            cache.by_path.insert(path.to_owned(), signature);
        }
    }
}

impl Scheme for NopsScheme {
    fn name(&self) -> &str {
        "nops"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        Ok(string_to_sign(
            self.credentials.client_id(),
            &utc_date(params.timestamp)?,
            request.path(),
            self.credentials.api_key.expose(),
        ))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let Some(key) = &self.credentials.private_key else {
            return Ok(Vec::new());
        };
        let day = params.timestamp.div_euclid(86_400);
        let path = request.path();
        let signature = match self.cached(day, path) {
            Some(signature) => signature,
            None => {
                let string = self.string_to_sign(request, params)?;
                let signature = STANDARD.encode(key.sign(&string.to_bytes())?);
                let signature = header_value("x-nops-signature", &signature)?;
                self.remember(day, path, signature.clone());
                signature
            }
        };
        Ok(vec![(SIGNATURE_HEADER, signature)])
    }

    fn constant_headers(&self) -> Headers {
        match self.placement {
            NopsKeyPlacement::Query => Vec::new(),
            NopsKeyPlacement::Header => {
                CredentialHeader::new("X-Nops-Api-Key", &self.credentials.api_key)
                    .map(|header| vec![(API_KEY_HEADER, header.value())])
                    .unwrap_or_default()
            }
        }
    }

    fn query_pairs(&self) -> Vec<(&str, &str)> {
        match self.placement {
            NopsKeyPlacement::Query => vec![("api_key", self.credentials.api_key.expose())],
            NopsKeyPlacement::Header => Vec::new(),
        }
    }

    fn is_cpu_heavy(&self, request: &SignableRequest<'_>) -> bool {
        self.credentials.private_key.is_some()
            && self
                .cache
                .lock()
                .map(|cache| !cache.by_path.contains_key(request.path()))
                .unwrap_or(true)
    }

    fn responses(&self) -> &dyn ResponseReader {
        &NopsResponses
    }
}

impl fmt::Debug for NopsScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NopsScheme")
            .field("credentials", &self.credentials)
            .field("placement", &self.placement)
            .field("cached_signatures", &self.cached_signatures())
            .finish()
    }
}
