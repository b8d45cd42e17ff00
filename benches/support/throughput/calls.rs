//! The two clients and the two endpoints measured, and one call of each.
//!
//! Both clients decode the same model from the same answer, so that the comparison is
//! of everything around the HTTP exchange and not of what is done with its result.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use signed_api::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api::schemes::OvhScheme;
use signed_api_clients::ovh::{Nichandle, Ovh, OvhClient};

use crate::ovh_me;

/// An endpoint of the mock's OVH API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /me`, signed.
    Me,
    /// `GET /auth/time`, unsigned.
    Time,
}

impl Endpoint {
    pub const ALL: [Endpoint; 2] = [Endpoint::Me, Endpoint::Time];

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Me => "/me",
            Endpoint::Time => "/auth/time",
        }
    }

    pub fn parse(text: &str) -> Result<Endpoint, String> {
        Endpoint::ALL
            .into_iter()
            .find(|endpoint| endpoint.path() == text)
            .ok_or_else(|| format!("unknown endpoint {text:?} (/me or /auth/time)"))
    }
}

/// Which client makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `OvhClient`: signs, builds the URL and goes through retry and error mapping on
    /// every call.
    Typed,
    /// `reqwest::Client` with a fixed URL and, for `/me`, headers signed beforehand.
    Plain,
}

impl ClientKind {
    pub const ALL: [ClientKind; 2] = [ClientKind::Typed, ClientKind::Plain];

    pub fn name(self) -> &'static str {
        match self {
            ClientKind::Typed => "typed",
            ClientKind::Plain => "plain",
        }
    }

    pub fn parse(text: &str) -> Result<ClientKind, String> {
        ClientKind::ALL
            .into_iter()
            .find(|client| client.name() == text)
            .ok_or_else(|| format!("unknown client {text:?} (typed or plain)"))
    }
}

/// One endpoint's clients, built once and shared by every run and task of a case, as an
/// application shares its clients (and so their connection pools).
pub struct Case {
    endpoint: Endpoint,
    url: String,
    typed: OvhClient,
    plain: reqwest::Client,
    plain_timeout: Option<Duration>,
}

impl Case {
    /// `plain_timeout` gives each plain call a timeout, as the typed client gives each
    /// attempt one (60 s by default): a diagnostic, to see what that timer costs.
    pub fn new(
        base_url: &str,
        endpoint: Endpoint,
        plain_timeout: Option<Duration>,
    ) -> Result<Case, String> {
        let typed = OvhClient::builder()
            .credentials(ovh_me::credentials())
            .base_url(base_url)
            .build()
            .map_err(|e| format!("cannot build the typed client: {e}"))?;
        Ok(Case {
            endpoint,
            url: format!("{}{}", base_url.trim_end_matches('/'), endpoint.path()),
            typed,
            plain: reqwest::Client::new(),
            plain_timeout,
        })
    }

    /// A caller for one run. The plain one's `/me` headers are signed now, outside the
    /// timed loop, so that a long benchmark never outlives their timestamp.
    pub fn caller(&self, client: ClientKind) -> Result<Caller, String> {
        Ok(match client {
            ClientKind::Typed => Caller::Typed {
                client: self.typed.clone(),
                endpoint: self.endpoint,
            },
            ClientKind::Plain => Caller::Plain {
                http: self.plain.clone(),
                url: self.url.clone(),
                headers: match self.endpoint {
                    Endpoint::Me => signed_headers(&self.url)?,
                    Endpoint::Time => HeaderMap::new(),
                },
                timeout: self.plain_timeout,
                endpoint: self.endpoint,
            },
        })
    }

    /// Both clients get the same answer before anything is timed (for `/me` the same
    /// account; for `/auth/time`, which moves, times a moment apart). This also lets the
    /// typed client learn the server's clock outside the measurement.
    pub async fn check_agreement(&self) -> Result<(), String> {
        let typed = self.caller(ClientKind::Typed)?.fetch().await?;
        let plain = self.caller(ClientKind::Plain)?.fetch().await?;
        match (typed, plain) {
            (Answer::Me(typed), Answer::Me(plain)) if typed == plain => Ok(()),
            (Answer::Time(typed), Answer::Time(plain)) if (typed - plain).abs() <= 5 => Ok(()),
            (typed, plain) => Err(format!(
                "the clients disagree on {}: {typed:?} against {plain:?}",
                self.endpoint.path()
            )),
        }
    }
}

/// What a call decodes.
#[derive(Debug)]
enum Answer {
    Me(Box<Nichandle>),
    Time(i64),
}

/// One client set up to call one endpoint, shared by the tasks of a run.
pub enum Caller {
    Typed {
        client: OvhClient,
        endpoint: Endpoint,
    },
    Plain {
        http: reqwest::Client,
        url: String,
        headers: HeaderMap,
        timeout: Option<Duration>,
        endpoint: Endpoint,
    },
}

impl Caller {
    /// One call, its answer decoded and dropped.
    pub async fn call(&self) -> Result<(), String> {
        black_box(self.fetch().await?);
        Ok(())
    }

    async fn fetch(&self) -> Result<Answer, String> {
        match self {
            Caller::Typed { client, endpoint } => match endpoint {
                Endpoint::Me => client.me().await.map(|me| Answer::Me(Box::new(me))),
                Endpoint::Time => client.server_time().await.map(Answer::Time),
            }
            .map_err(|e| e.to_string()),
            Caller::Plain {
                http,
                url,
                headers,
                timeout,
                endpoint,
            } => {
                let mut request = http.get(url).headers(headers.clone());
                if let Some(timeout) = timeout {
                    request = request.timeout(*timeout);
                }
                let response = request
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| e.to_string())?;
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                match endpoint {
                    Endpoint::Me => serde_json::from_slice::<Nichandle>(&body)
                        .map(|me| Answer::Me(Box::new(me))),
                    Endpoint::Time => serde_json::from_slice::<i64>(&body).map(Answer::Time),
                }
                .map_err(|e| e.to_string())
            }
        }
    }
}

/// The headers of `GET url` signed at the local time, with the application key.
fn signed_headers(url: &str) -> Result<HeaderMap, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let now = i64::try_from(now).map_err(|e| e.to_string())?;
    let signature = OvhScheme::new(ovh_me::credentials())
        .sign(
            &SignableRequest::new("GET", url, b""),
            &SigningParams::at(now),
        )
        .map_err(|e| format!("cannot sign the plain loop's headers: {e}"))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static("x-ovh-application"),
        HeaderValue::from_static(ovh_me::AK),
    );
    headers.extend(signature);
    Ok(headers)
}
