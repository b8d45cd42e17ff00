//! Shared set-up of the mock's tests: a mock with known credentials, clients that sign
//! for it, and a plain HTTP sender to deliver what they prepared, altered or not.

#![allow(dead_code)]

// Each test file uses a part of the shared set-up.
use signed_api_mock::MockServer;
#[allow(unused_imports)]
pub use signed_api_mock::testing::{
    ARMOR_ACCOUNT, ARMOR_ID, ARMOR_SECRET, NOPS_KEY, OVH_AK, OVH_AS, OVH_CK, QREDO_KEY, S3_KEY_ID,
    S3_REGION, S3_SECRET, api_error, armor_scheme, client, credentials, key_path,
    nops_key_path as nops_key, nops_scheme, other_key, ovh_scheme, qredo_key_path as qredo_key,
    qredo_scheme, sigv4_scheme, start, unix_now as now,
};
use signed_api_runtime::PreparedRequest;

/// What came back from the mock.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub async fn read(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        Answer {
            status,
            headers,
            body: response.text().await.unwrap(),
        }
    }
}

/// Sends `prepared` as it is, but with `body` instead of its own when given.
pub async fn deliver(prepared: &PreparedRequest, body: Option<&[u8]>) -> Answer {
    let body = body.map_or_else(|| prepared.body.to_vec(), <[u8]>::to_vec);
    let response = reqwest::Client::new()
        .request(prepared.method.clone(), prepared.url.as_str())
        .headers(prepared.headers.clone())
        .body(body)
        .send()
        .await
        .unwrap();
    Answer::read(response).await
}

/// A plain GET without any signature.
pub async fn get_unsigned(url: &str) -> Answer {
    Answer::read(reqwest::get(url).await.unwrap()).await
}

/// A request written by hand and sent over a bare TCP stream: nothing between the test
/// and the socket parses, completes or normalises it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub target: String,
    /// Sent in this order, repeated names included.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// `prepared` as a client would send it to `origin` (`http://host:port`): its method,
    /// the origin-form target, `Host` first, then its own headers.
    pub fn from_prepared(prepared: &PreparedRequest, origin: &str) -> RawRequest {
        let target = prepared
            .url
            .strip_prefix(origin)
            .unwrap_or_else(|| panic!("{} is not under {origin}", prepared.url));
        let mut headers = vec![(
            "host".to_owned(),
            origin.trim_start_matches("http://").to_owned(),
        )];
        headers.extend(
            prepared.headers.iter().map(|(name, value)| {
                (name.as_str().to_owned(), value.to_str().unwrap().to_owned())
            }),
        );
        RawRequest {
            method: prepared.method.as_str().to_owned(),
            target: target.to_owned(),
            headers,
            body: prepared.body.to_vec(),
        }
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Replaces every header named `name` by one with `value`, where the first was.
    pub fn set_header(mut self, name: &str, value: &str) -> Self {
        let at = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap_or(self.headers.len());
        self = self.remove_header(name);
        self.headers.insert(
            at.min(self.headers.len()),
            (name.to_owned(), value.to_owned()),
        );
        self
    }

    /// Adds one more header, after the others.
    pub fn add_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn remove_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    /// The bytes on the wire: request line, headers, `content-length`, `connection:
    /// close` (so that the answer ends with the connection), body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\n", self.method, self.target);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// What came back on a raw connection: the status (0 when the connection closed without
/// an answer) and everything after the status line.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub text: String,
}

impl RawAnswer {
    pub fn refused(&self) -> bool {
        (400..500).contains(&self.status)
    }
}

/// Writes `bytes` to `addr` and reads the answer until the server closes the connection.
pub async fn send_raw(addr: std::net::SocketAddr, bytes: &[u8]) -> RawAnswer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The server may answer and close before reading everything; a failed write then
    // still leaves its answer to read.
    let _ = stream.write_all(bytes).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "no answer within 30 s");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    RawAnswer {
        status,
        text: answer,
    }
}

/// Sends `request` to `mock` as written.
pub async fn send(mock: &MockServer, request: &RawRequest) -> RawAnswer {
    send_raw(mock.addr(), &request.to_bytes()).await
}
