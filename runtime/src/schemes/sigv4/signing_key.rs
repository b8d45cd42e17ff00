//! The signing key, derived from the secret through the date, region and service, and kept
//! for the day: a call then costs one HMAC over the string to sign instead of five.

use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::crypto::HmacSha256;
use crate::secret::Secret;

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac(key: &[u8], message: &[u8]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(HmacSha256::new(key).sign(&[message]))
}

/// `kSigning`: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`, each step's key wiped once used.
pub(crate) fn derive(secret: &Secret, date: &str, region: &str, service: &str) -> HmacSha256 {
    let mut first = Zeroizing::new(Vec::with_capacity(4 + secret.expose().len()));
    first.extend_from_slice(b"AWS4");
    first.extend_from_slice(secret.expose().as_bytes());
    let k_date = hmac(&first, date.as_bytes());
    let k_region = hmac(&*k_date, region.as_bytes());
    let k_service = hmac(&*k_region, service.as_bytes());
    let k_signing = hmac(&*k_service, b"aws4_request");
    HmacSha256::new(&*k_signing)
}

/// The keyed HMAC of the last date signed for. Region and service are fixed per scheme,
/// so the date (`YYYYMMDD`) is the whole cache key; a signature for another day derives
/// afresh and replaces it. The cached value is the HMAC's inner and outer states, from
/// which the secret cannot be read back; they open only this day's scope, and they and
/// every copy handed out are wiped on drop.
#[derive(Default)]
pub(crate) struct KeyCache {
    last: Mutex<Option<([u8; 8], HmacSha256)>>,
}

impl KeyCache {
    /// The keyed HMAC for `date`, from the cache or derived.
    pub(crate) fn for_date(
        &self,
        secret: &Secret,
        date: &str,
        region: &str,
        service: &str,
    ) -> HmacSha256 {
        let key: [u8; 8] = date.as_bytes().try_into().unwrap_or([0; 8]);
        if let Ok(last) = self.last.lock()
            && let Some((cached, mac)) = last.as_ref()
            && *cached == key
        {
            return mac.clone();
        }
        let mac = derive(secret, date, region, service);
        if let Ok(mut last) = self.last.lock() {
            *last = Some((key, mac.clone()));
        }
        mac
    }
}

impl Clone for KeyCache {
    /// A clone starts empty: it derives its own key on first use.
    fn clone(&self) -> Self {
        KeyCache::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_gives_the_derived_key() {
        let secret = Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let cache = KeyCache::default();
        let sign = |mac: HmacSha256| mac.sign(&[b"x"]);
        let fresh = sign(derive(&secret, "20150830", "us-east-1", "iam"));
        assert_eq!(
            sign(cache.for_date(&secret, "20150830", "us-east-1", "iam")),
            fresh
        );
        assert_eq!(
            sign(cache.for_date(&secret, "20150830", "us-east-1", "iam")),
            fresh
        );
        let next_day = sign(cache.for_date(&secret, "20150831", "us-east-1", "iam"));
        assert_ne!(next_day, fresh);
    }
}
