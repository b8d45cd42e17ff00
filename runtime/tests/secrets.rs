//! A sentinel secret never shows in the `Debug` or `Display` of credentials, keys,
//! schemes, clients, prepared requests or errors.

use signed_api_mock::testing::capture::{CaptureServer, Reply};
use signed_api_runtime::keys::RsaKey;
use signed_api_runtime::schemes::{
    ArmorConfig, ArmorCredentials, ArmorScheme, NopsConfig, NopsCredentials, NopsScheme, OvhConfig,
    OvhCredentials, OvhScheme, QredoCredentials, QredoScheme,
};
use signed_api_runtime::{Client, Method, Secret};

const SENTINEL: &str = "SENTINEL-b1e7c0de";

/// Fails if the sentinel (or the private key's PEM body) appears in `shown`.
fn assert_hidden(what: &str, shown: &str) {
    assert!(
        !shown.contains(SENTINEL),
        "{what} shows the secret: {shown}"
    );
    assert!(
        !shown.contains("MIIE"),
        "{what} shows key material: {shown}"
    );
}

fn show(value: &(impl std::fmt::Debug + ?Sized)) -> String {
    format!("{value:?} {value:#?}")
}

fn private_key_pem() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/keys/rsa2048-pkcs8.pem"
    ))
    .unwrap()
}

fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn credentials_keys_and_schemes_hide_secrets() {
    let key = RsaKey::from_pem(&private_key_pem()).unwrap();
    assert_hidden("RsaKey", &show(&key));
    assert_hidden("Secret", &show(&Secret::new(SENTINEL)));

    let ovh = OvhCredentials::new("public-ak", SENTINEL)
        .unwrap()
        .with_consumer_key(SENTINEL)
        .unwrap();
    assert_hidden("OvhCredentials", &show(&ovh));
    assert_hidden("OvhScheme", &show(&OvhScheme::new(ovh)));

    let nops = NopsCredentials::new(format!("1.{SENTINEL}"))
        .unwrap()
        .with_private_key(key.clone());
    assert_hidden("NopsCredentials", &show(&nops));
    assert_hidden("NopsScheme", &show(&NopsScheme::new(nops)));

    let qredo = QredoCredentials::new(SENTINEL, key).unwrap();
    assert_hidden("QredoCredentials", &show(&qredo));
    assert_hidden("QredoScheme", &show(&QredoScheme::new(qredo)));

    let armor = ArmorCredentials::new("key-id", SENTINEL)
        .unwrap()
        .with_account("1024")
        .unwrap();
    assert_hidden("ArmorCredentials", &show(&armor));
    assert_hidden("ArmorScheme", &show(&ArmorScheme::new(armor)));

    let config = OvhConfig::load_from(
        &env(&[
            ("OVH_APPLICATION_KEY", "ak"),
            ("OVH_APPLICATION_SECRET", SENTINEL),
            ("OVH_CONSUMER_KEY", SENTINEL),
        ]),
        &[],
    )
    .unwrap();
    assert_hidden("OvhConfig", &show(&config));
    let config = ArmorConfig::from_lookup(&env(&[
        ("ARMOR_API_KEY_ID", "id"),
        ("ARMOR_SECRET_KEY", SENTINEL),
    ]))
    .unwrap();
    assert_hidden("ArmorConfig", &show(&config));
    let config = NopsConfig::from_lookup(&env(&[("NOPS_API_KEY", SENTINEL)])).unwrap();
    assert_hidden("NopsConfig", &show(&config));
}

#[tokio::test]
async fn clients_prepared_requests_and_errors_hide_secrets() {
    // nOps puts its key in the URL: a transport error must not echo that URL.
    let unreachable = Client::builder(NopsScheme::new(
        NopsCredentials::new(format!("1.{SENTINEL}")).unwrap(),
    ))
    .base_url("http://127.0.0.1:9") // discard port: connection refused
    .build()
    .unwrap();
    assert_hidden("Client", &show(&unreachable));
    let err = unreachable
        .request(Method::GET, "/c/admin/projectaws/")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, signed_api_runtime::Error::Transport(_)),
        "{err:?}"
    );
    assert_hidden(
        "transport error Display",
        &format!("{err} {:?}", std::error::Error::source(&err)),
    );
    assert_hidden("transport error Debug", &show(&err));

    let prepared = unreachable
        .request(Method::GET, "/c/admin/projectaws/")
        .query("a", "b")
        .prepare()
        .await
        .unwrap();
    assert!(
        prepared.url.contains(SENTINEL),
        "the URL itself carries the key"
    );
    assert_eq!(
        prepared.redacted_url(),
        "http://127.0.0.1:9/c/admin/projectaws/?api_key=***&a=b"
    );
    assert_hidden("nOps PreparedRequest", &show(&prepared));

    // OVH's string to sign embeds the application secret: it is signed, never shown.
    let server = CaptureServer::start(|_, _| {
        Reply::json(
            401,
            r#"{"errorCode":"INVALID_CREDENTIAL","message":"Invalid credentials"}"#,
        )
    })
    .await;
    let credentials = OvhCredentials::new("ak", SENTINEL)
        .unwrap()
        .with_consumer_key(SENTINEL)
        .unwrap();
    let client = Client::builder(OvhScheme::new(credentials))
        .base_url(server.url("/1.0"))
        .clock(signed_api_runtime::clock::Clock::fixed(1_700_000_000))
        .build()
        .unwrap();
    client.clock().set_offset(0);
    let prepared = client.request(Method::GET, "/me").prepare().await.unwrap();
    let string = prepared.string_to_sign.as_ref().unwrap();
    assert!(String::from_utf8_lossy(&string.to_bytes()).contains(SENTINEL));
    assert!(
        !string.redacted().contains(SENTINEL),
        "{}",
        string.redacted()
    );
    assert_hidden("PreparedRequest", &show(&prepared));
    let err = client.request(Method::GET, "/me").send().await.unwrap_err();
    assert_hidden("API error", &format!("{err} {}", show(&err)));

    // Configuration errors name the variable, not its value.
    let err = ArmorCredentials::new("key-id", "x")
        .unwrap()
        .with_account(format!("{SENTINEL}\n"))
        .unwrap_err();
    assert_hidden("config error", &format!("{err} {}", show(&err)));
}

#[test]
fn key_errors_name_the_file_not_its_content() {
    let dir = std::env::temp_dir().join(format!("signed-api-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.pem");
    std::fs::write(
        &path,
        format!("-----BEGIN RSA PRIVATE KEY-----\n{SENTINEL}\n-----END RSA PRIVATE KEY-----\n"),
    )
    .unwrap();
    let err = RsaKey::from_pem_file(&path).unwrap_err();
    assert!(err.to_string().contains("broken.pem"), "{err}");
    assert_hidden("key error", &format!("{err} {}", show(&err)));
    std::fs::remove_dir_all(dir).unwrap();
}
