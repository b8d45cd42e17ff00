//! The command against the in-process mock, for every scheme: a GET whose query holds
//! reserved characters, a POST with a unicode JSON body, a DELETE; wrong secrets; API
//! errors on stderr; dry runs that send nothing and show no secret.

mod common;

use common::*;
use signed_api_mock::Api;

const RESERVED: &str = "a b&c=d/e?f#g%h+i;é✓";

#[test]
fn ovh_get_post_delete() {
    let h = Harness::new("ovh");
    let query = format!("subDomain={RESERVED}");
    let none = h.run(&[
        "ovh",
        "GET",
        "/domain/zone/example.com/record",
        "--query",
        &query,
    ]);
    assert_eq!(none.json(), serde_json::json!([]));

    let data = format!(r#"{{"fieldType":"TXT","subDomain":"{RESERVED}","target":"héllo ✓ 日本"}}"#);
    let created = h
        .run(&[
            "ovh",
            "POST",
            "/domain/zone/example.com/record",
            "--data",
            &data,
        ])
        .json();
    assert_eq!(created["target"], "héllo ✓ 日本");
    let id = created["id"].as_u64().unwrap().to_string();

    let found = h.run(&[
        "ovh",
        "GET",
        "/domain/zone/example.com/record",
        "--query",
        &query,
    ]);
    assert_eq!(found.json(), serde_json::json!([created["id"]]));

    let path = format!("/domain/zone/example.com/record/{id}");
    let deleted = h.run(&["ovh", "delete", &path]);
    assert_eq!(deleted.json(), serde_json::Value::Null);
    let gone = h.run(&["ovh", "GET", &path]);
    assert_eq!(gone.code, Some(1), "{gone:?}");
    assert!(
        gone.stderr.contains("404") && gone.stderr.contains("does not exist"),
        "{gone:?}"
    );
    gone.assert_no_secret();
}

#[test]
fn nops_get_post_patch_delete() {
    let h = Harness::new("nops");
    let query = format!("filter={RESERVED}");
    let listed = h
        .run(&["nops", "GET", "/c/admin/projectaws/", "--query", &query])
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let data = r#"{"name":"Projét ✓ 日本","account_number":"210987654321"}"#;
    let created = h
        .run(&["nops", "POST", "/c/admin/projectaws/", "--data", data])
        .json();
    assert_eq!(created["name"], "Projét ✓ 日本");
    let path = format!("/c/admin/projectaws/{}/", created["id"]);

    let patched = h
        .run(&["nops", "PATCH", &path, "--data", r#"{"name":"renamed ✓"}"#])
        .json();
    assert_eq!(patched["name"], "renamed ✓");

    let deleted = h.run(&["nops", "DELETE", &path]);
    assert_eq!(
        (deleted.code, deleted.stdout.as_str()),
        (Some(0), ""),
        "{deleted:?}"
    );
    let listed = h.run(&["nops", "GET", "/c/admin/projectaws/"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    deleted.assert_no_secret();
}

#[test]
fn qredo_get_post_delete() {
    let h = Harness::new("qredo");
    let name = format!("Société {RESERVED}");
    let data = serde_json::json!({ "name": name, "domain": "société.example" }).to_string();
    let created = h
        .run(&["qredo", "POST", "/company", "--data", &data])
        .json();
    let company = created["company_id"].as_str().unwrap().to_owned();

    let query = format!("query={name}");
    let found = h
        .run(&["qredo", "GET", "/company/search", "--query", &query])
        .json();
    assert_eq!(found["total_count"], 1, "{found}");
    assert_eq!(found["matches"][0]["name"], name.as_str());

    let parties = format!("/company/{company}/trustedparty");
    let added = h
        .run(&[
            "qredo",
            "POST",
            &parties,
            "--data",
            r#"{"address":"0xabc","name":"Zoë ✓"}"#,
        ])
        .json();
    let party = added["trustedparty_id"].as_str().unwrap();
    let deleted = h
        .run(&["qredo", "DELETE", &format!("{parties}/{party}")])
        .json();
    assert_eq!(deleted["code"], 202);
    let listed = h.run(&["qredo", "GET", &parties]).json();
    assert_eq!(listed["total_count"], 0);
}

#[test]
fn armor_get_post_delete() {
    let h = Harness::new("armor");
    let query = format!("orderBy={RESERVED}");
    let tickets = h
        .run(&["armor", "GET", "/tickets/list", "--query", &query])
        .json();
    assert_eq!(tickets["total"], 2);

    let powered = h
        .run(&[
            "armor",
            "POST",
            "/vms/101/power/off",
            "--data",
            r#"{"reason":"maintenance ✓ 日本"}"#,
        ])
        .json();
    assert_eq!(powered["status"], "Stopped");

    let deleted = h.run(&["armor", "DELETE", "/vms/102"]).json();
    assert_eq!(deleted["id"], 102);
    let vms = h.run(&["armor", "GET", "/vms"]).json();
    assert_eq!(vms.as_array().unwrap().len(), 1);
}

#[test]
fn a_full_url_under_the_base_url_is_accepted() {
    let h = Harness::new("full-url");
    let url = format!("{}/me?x=%2F%20y", h.mock.base_url(Api::Armor));
    assert_eq!(
        h.run(&["armor", "GET", &url]).json()["user"]["firstName"],
        "Demo"
    );
}

#[test]
fn wrong_secrets_are_refused_by_the_server() {
    let h = Harness::new("wrong");
    let other_key = repo_file("tests/vectors/keys/rsa1024-pkcs1.pem");
    let other_key = other_key.to_str().unwrap();
    let cases: [(&str, &str, &str, &str); 5] = [
        ("ovh", "/me", "OVH_APPLICATION_SECRET", "wrong-secret"),
        ("ovh", "/me", "OVH_CONSUMER_KEY", "wrong-consumer"),
        (
            "nops",
            "/c/admin/projectaws/",
            "NOPS_PRIVATE_KEY",
            other_key,
        ),
        ("qredo", "/assets", "QREDO_PRIVATE_KEY", other_key),
        ("armor", "/me", "ARMOR_SECRET_KEY", "wrong-secret"),
    ];
    for (scheme, path, variable, value) in cases {
        let run = h.run_with(&[scheme, "GET", path], &[(variable, Some(value))]);
        assert_eq!(run.code, Some(1), "{scheme} {variable}: {run:?}");
        assert!(
            run.stderr.contains("401") || run.stderr.contains("403"),
            "{scheme}: {run:?}"
        );
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stdout.is_empty());
        run.assert_no_secret();
        assert!(!run.stderr.contains(value) || value == other_key, "{run:?}");
    }
    let run = h.run_with(
        &["nops", "GET", "/c/admin/projectaws/"],
        &[("NOPS_API_KEY", Some("77.wrong"))],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("401"), "{run:?}");
}

#[test]
fn dry_runs_send_nothing_and_hide_credentials() {
    let h = Harness::new("dry-run");
    let ovh = h.run(&[
        "ovh",
        "POST",
        "/domain/zone/example.com/record",
        "--data",
        r#"{"a":"✓"}"#,
        "--dry-run",
    ]);
    assert_eq!(ovh.code, Some(0), "{ovh:?}");
    assert!(ovh.stdout.contains("***+***+POST+http://"), "{ovh:?}");
    assert!(ovh.stdout.contains("x-ovh-signature: $1$"), "{ovh:?}");
    assert!(ovh.stdout.contains("x-ovh-consumer: ***"), "{ovh:?}");
    assert!(ovh.stdout.contains(r#"{"a":"✓"}"#), "{ovh:?}");
    ovh.assert_no_secret();

    let nops = h.run(&["nops", "GET", "/c/admin/projectaws/", "--dry-run"]);
    assert!(
        nops.stdout.contains("77.") && nops.stdout.contains("?api_key=***"),
        "{nops:?}"
    );
    assert!(nops.stdout.contains("x-nops-signature: "), "{nops:?}");
    nops.assert_no_secret();

    let qredo = h.run(&["qredo", "GET", "/assets", "--dry-run"]);
    assert!(
        qredo.stdout.contains("x-api-key: ***") && qredo.stdout.contains("x-sign: "),
        "{qredo:?}"
    );
    qredo.assert_no_secret();

    let armor = h.run(&["armor", "GET", "/me", "--dry-run"]);
    assert!(armor.stdout.contains("authorization: ***"), "{armor:?}");
    assert!(
        armor.stdout.contains("x-account-context: 1024"),
        "{armor:?}"
    );
    armor.assert_no_secret();

    assert_eq!(h.mock.total_requests(), 0);
    assert_eq!(h.mock.connections(), 0);
}

#[test]
fn api_errors_show_status_code_and_message_on_stderr() {
    let h = Harness::new("api-error");
    let run = h.run(&[
        "ovh",
        "POST",
        "/domain/zone/example.com/record",
        "--data",
        r#"{"fieldType":"BOGUS","target":"x"}"#,
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.is_empty());
    let line = run.stderr.trim();
    assert!(
        line.contains("400")
            && line.contains("Client::BadRequest")
            && line.contains("Invalid fieldType"),
        "{line}"
    );
}

#[test]
fn ovh_conf_in_the_working_directory_is_read_and_the_environment_wins() {
    let h = Harness::new("ovh-conf");
    let endpoint = h.mock.base_url(Api::Ovh);
    std::fs::write(
        h.dir.join("ovh.conf"),
        format!(
            "[default]\nendpoint={endpoint}\n\n[{endpoint}]\napplication_key={OVH_AK}\n\
             application_secret=not-the-secret\nconsumer_key={OVH_CK}\n"
        ),
    )
    .unwrap();
    let no_env = [
        ("OVH_ENDPOINT", None),
        ("OVH_APPLICATION_KEY", None),
        ("OVH_APPLICATION_SECRET", None),
        ("OVH_CONSUMER_KEY", None),
    ];
    // The file alone: its endpoint and keys are used (its secret is wrong: refused by the
    // mock, which shows the call was signed with the file's values and sent to its URL).
    let from_file = h.run_with(&["ovh", "GET", "/me"], &no_env);
    assert_eq!(from_file.code, Some(1), "{from_file:?}");
    assert!(from_file.stderr.contains("401"), "{from_file:?}");
    assert!(
        !from_file.stderr.contains("not-the-secret"),
        "{from_file:?}"
    );
    // The environment's secret wins over the file's.
    let mut env_wins = no_env.to_vec();
    env_wins[2] = ("OVH_APPLICATION_SECRET", Some(OVH_AS));
    let me = h.run_with(&["ovh", "GET", "/me"], &env_wins).json();
    assert_eq!(me["nichandle"], "xx1111-ovh");
}

#[test]
fn endpoints_may_be_named_in_the_environment_or_with_base_url() {
    let h = Harness::new("named");
    let ovh = h.run_with(
        &["ovh", "GET", "/me", "--dry-run"],
        &[("OVH_ENDPOINT", Some("ovh-ca"))],
    );
    assert_eq!(ovh.code, Some(0), "{ovh:?}");
    assert!(
        ovh.stdout.contains("GET https://ca.api.ovh.com/1.0/me\n"),
        "{ovh:?}"
    );
    let qredo = h.run(&[
        "qredo",
        "GET",
        "/assets",
        "--base-url",
        "sandbox",
        "--dry-run",
    ]);
    assert_eq!(qredo.code, Some(0), "{qredo:?}");
    assert!(
        qredo
            .stdout
            .contains("GET https://sandbox-api.qredo.network/api/v1/p/assets\n"),
        "{qredo:?}"
    );
    assert_eq!(h.mock.connections(), 0);
}

#[test]
fn escapes_in_the_path_are_sent_as_written() {
    let h = Harness::new("escapes");
    let url = format!("{}/vms/a%20b%2Fc/%C3%A9", h.mock.base_url(Api::Armor));
    let dry = h.run(&["armor", "GET", &url, "--dry-run"]);
    assert!(
        dry.stdout.contains(&format!("GET {url}\n")),
        "not escaped twice: {dry:?}"
    );
    // Sent, signed over those exact bytes: the mock verifies, then finds no such VM.
    let sent = h.run(&["armor", "GET", &url]);
    assert_eq!(sent.code, Some(1), "{sent:?}");
    assert!(sent.stderr.contains("404"), "{sent:?}");
}

#[test]
fn ovh_unsigned_calls_need_no_consumer_key() {
    let h = Harness::new("ovh-unsigned");
    let no_consumer_key = [("OVH_CONSUMER_KEY", None)];
    let time = h.run_with(&["ovh", "GET", "/auth/time"], &no_consumer_key);
    let time: i64 = time.json().as_i64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((time - now).abs() <= 5, "{time}");

    let rules = r#"{"accessRules":[{"method":"GET","path":"/me"}]}"#;
    let credential = h
        .run_with(
            &["ovh", "POST", "/auth/credential", "--data", rules],
            &no_consumer_key,
        )
        .json();
    assert_eq!(credential["state"], "pendingValidation", "{credential}");

    let dry = h.run_with(&["ovh", "GET", "/auth/time", "--dry-run"], &no_consumer_key);
    assert!(dry.stdout.contains("(unsigned request)"), "{dry:?}");
    assert!(!dry.stdout.contains("x-ovh-signature"), "{dry:?}");
    assert!(dry.stdout.contains("x-ovh-application: test-ak"), "{dry:?}");

    // Any other call is signed, and refused without a consumer key, before sending.
    let before = h.mock.total_requests();
    let me = h.run_with(&["ovh", "GET", "/me"], &no_consumer_key);
    assert_eq!(me.code, Some(2), "{me:?}");
    assert!(me.stderr.contains("OVH_CONSUMER_KEY is not set"), "{me:?}");
    assert_eq!(h.mock.total_requests(), before);
}
