//! The quickstart: the five typed clients (nOps, OVH, Qredo, Armor, and S3 signed with
//! AWS SigV4) against the embedded verifying mock.
//!
//!     cargo run --release --example quickstart
//!
//! It starts the mock in this process with freshly generated demo credentials, then, for
//! each API, loads the client's configuration exactly as it would load yours (the same
//! variables: `OVH_ENDPOINT`, `NOPS_API_KEY`, …, here answered by the mock instead of the
//! environment), makes a few real signed calls, and shows that a wrong key is refused. The
//! mock checks every signature as the vendor does, so what passes here passes there.
//!
//! To call the real APIs instead, see `examples/{ovh,nops,qredo,armor,s3}.rs`.

use std::error::Error as StdError;
use std::fmt::Display;
use std::process::ExitCode;

use signed_api::keys::RsaKey;
use signed_api::schemes::{ArmorConfig, NopsConfig, OvhConfig, QredoConfig, QredoCredentials};
use signed_api::{ApiErrorKind, Bytes, Error};
use signed_api_clients::armor::{
    Armor, ArmorClient, ArmorCredentials, PowerAction, RenameVm, Status,
};
use signed_api_clients::nops::{NewProject, Nops, NopsClient, NopsCredentials};
use signed_api_clients::ovh::{FieldType, NewRecord, Ovh, OvhClient};
use signed_api_clients::qredo::{NewCompany, Qredo, QredoClient};
use signed_api_clients::s3::{
    ListObjectsQuery, PutOptions, S3, S3Client, Sigv4Config, Sigv4Credentials, Sigv4Scheme,
    all_objects,
};
use signed_api_mock::{MockConfig, MockCredentials, MockServer, demo_dir};

type Outcome = Result<(), Box<dyn StdError>>;

/// The variables a client reads, answered from a list instead of the process environment.
struct Env(Vec<(String, String)>);

impl Env {
    fn lookup(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Outcome {
    let keys = demo_dir();
    let mock = MockServer::start(MockConfig::new(MockCredentials::demo(&keys)?)).await?;
    println!(
        "Mock of the four APIs and S3 at {} (demo credentials, made for this run)\n",
        mock.origin()
    );
    let env = Env(mock.env_vars());

    let result = async {
        ovh(&env).await?;
        nops(&env).await?;
        qredo(&env).await?;
        armor(&env).await?;
        s3(&env).await
    }
    .await;

    mock.shutdown().await;
    // The demo keys were written for this run only.
    let _ = std::fs::remove_dir_all(&keys);
    result?;
    println!("All five APIs answered, and each refused a wrong key.");
    Ok(())
}

async fn ovh(env: &Env) -> Outcome {
    println!("OVH");
    let config = OvhConfig::load_from(&|name| env.lookup(name), &[])?;
    let ovh = OvhClient::from_config(config.clone())?;

    let me = ovh.me().await?;
    step(
        "GET /me",
        format!("signed in as {} <{}>", me.nichandle, me.email),
    );

    let zone = ovh
        .domains(None)
        .await?
        .into_iter()
        .next()
        .ok_or("no domain")?;
    let www = NewRecord::new(FieldType::A, "203.0.113.7")
        .sub_domain("www")
        .ttl(300);
    let record = ovh.create_record(&zone, &www).await?;
    step(
        format!("POST /domain/zone/{zone}/record"),
        format!("created record #{}", record.id),
    );

    let read = ovh.record(&zone, record.id).await?;
    step(
        format!("GET /domain/zone/{zone}/record/{}", record.id),
        format!(
            "{}.{zone} {} {} (ttl {})",
            read.sub_domain, read.field_type, read.target, read.ttl
        ),
    );

    let a_records = ovh.records(&zone, Some(FieldType::A), None).await?;
    step(
        format!("GET /domain/zone/{zone}/record?fieldType=A"),
        format!("ids {a_records:?}"),
    );

    ovh.delete_record(&zone, record.id).await?;
    step(
        format!("DELETE /domain/zone/{zone}/record/{}", record.id),
        "deleted",
    );

    let wrong = config
        .credentials
        .clone()
        .with_consumer_key("not-the-consumer-key")?;
    let intruder = OvhClient::builder()
        .credentials(wrong)
        .base_url(config.base_url)
        .build()?;
    refused("GET /me with a wrong consumer key", intruder.me().await)
}

async fn nops(env: &Env) -> Outcome {
    println!("nOps");
    let config = NopsConfig::from_lookup(&|name| env.lookup(name))?;
    let nops = NopsClient::from_config(config.clone())?;

    let projects = nops.projects().await?;
    step(
        "GET /c/admin/projectaws/",
        format!("{} AWS project(s)", projects.len()),
    );

    let created = nops
        .create_project(&NewProject::new("quickstart", "123456789012"))
        .await?;
    step(
        "POST /c/admin/projectaws/",
        format!("created project #{} {:?}", created.id, created.name),
    );

    let listed = nops.projects().await?;
    let found = listed
        .iter()
        .find(|project| project.id == created.id)
        .ok_or("the new project is not listed")?;
    step(
        "GET /c/admin/projectaws/",
        format!(
            "{} project(s), #{} is {:?}",
            listed.len(),
            found.id,
            found.name
        ),
    );

    nops.delete_project(created.id).await?;
    step(
        format!("DELETE /c/admin/projectaws/{}/", created.id),
        "deleted",
    );

    let intruder = NopsClient::builder()
        .credentials(NopsCredentials::new("999.not-a-nops-key")?)
        .base_url(config.base_url)
        .build()?;
    refused(
        "GET /c/admin/projectaws/ with a wrong API key",
        intruder.projects().await,
    )
}

async fn qredo(env: &Env) -> Outcome {
    println!("Qredo");
    let config = QredoConfig::from_lookup(&|name| env.lookup(name))?;
    let qredo = QredoClient::from_config(config.clone())?;

    let assets = qredo.assets().await?;
    let codes: Vec<&str> = assets.assets.iter().map(|a| a.code.as_str()).collect();
    step("GET /assets", codes.join(", "));

    let acme = NewCompany {
        city: Some("Paris".into()),
        country: Some("FR".into()),
        ..NewCompany::new("ACME Corp")
    };
    let created = qredo.create_company(&acme).await?;
    step("POST /company", format!("created {}", created.company_id));

    let company = qredo.company(&created.company_id).await?;
    step(
        format!("GET /company/{}", created.company_id),
        format!(
            "{} ({}, {})",
            company.name,
            company.city.as_deref().unwrap_or("?"),
            company.country.as_deref().unwrap_or("?")
        ),
    );

    let found = qredo.search_companies("ACME").await?;
    step(
        "GET /company/search?query=ACME",
        format!("{} match(es)", found.total_count),
    );

    // Same API key, but a key pair the mock has never seen.
    let api_key = env.lookup("QREDO_API_KEY").ok_or("no QREDO_API_KEY")?;
    let stranger = QredoCredentials::new(api_key, RsaKey::generate(2048)?)?;
    let intruder = QredoClient::builder()
        .credentials(stranger)
        .base_url(config.base_url)
        .build()?;
    refused(
        "GET /assets signed with another RSA key",
        intruder.assets().await,
    )
}

async fn armor(env: &Env) -> Outcome {
    println!("Armor");
    let config = ArmorConfig::from_lookup(&|name| env.lookup(name))?;
    let armor = ArmorClient::from_config(config.clone())?;

    let vms = armor.vms().await?;
    let names: Vec<&str> = vms.iter().filter_map(|vm| vm.name.as_deref()).collect();
    step(
        "GET /vms",
        format!("{} VM(s): {}", vms.len(), names.join(", ")),
    );

    let id = vms
        .iter()
        .find_map(|vm| vm.resolved_id())
        .ok_or("no VM to rename")?;
    armor
        .rename_vm(id, &RenameVm::new(id, "quickstart-web"))
        .await?;
    step(format!("PUT /vms/{id}"), "renamed to quickstart-web");

    let vm = armor.vm(id).await?;
    step(
        format!("GET /vms/{id}"),
        format!(
            "{}, {}",
            vm.name.unwrap_or_default(),
            describe(vm.status.as_ref())
        ),
    );

    let rebooted = armor.power_vm(id, PowerAction::Reboot).await?;
    step(
        format!("POST /vms/{id}/power/reboot"),
        describe(rebooted.status.as_ref()),
    );

    let key_id = env
        .lookup("ARMOR_API_KEY_ID")
        .ok_or("no ARMOR_API_KEY_ID")?;
    let wrong = ArmorCredentials::new(key_id, "not-the-secret")?;
    let wrong = match env.lookup("ARMOR_ACCOUNT_ID") {
        Some(account) => wrong.with_account(account)?,
        None => wrong,
    };
    let intruder = ArmorClient::builder()
        .credentials(wrong)
        .base_url(config.base_url)
        .build()?;
    refused("GET /vms with a wrong secret", intruder.vms().await)
}

async fn s3(env: &Env) -> Outcome {
    println!("S3 (AWS SigV4)");
    // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL: read as the
    // AWS CLI reads them (here the mock's demo values; ~/.aws is not looked at, as no
    // HOME is given).
    let config = Sigv4Config::from_lookup(&|name| env.lookup(name), "s3")?;
    let s3 = S3Client::from_config(config.clone())?;

    s3.create_bucket("quickstart").await?;
    step("PUT /quickstart", "bucket created");
    let key = "reports/2024/été.txt";
    let options = PutOptions::new()
        .content_type("text/plain; charset=utf-8")
        .metadata("author", "quickstart");
    let put = s3
        .put_object_with("quickstart", key, Bytes::from("bonjour"), &options)
        .await?;
    step(
        format!("PUT /quickstart/{key}"),
        format!("stored, ETag {}", put.etag.unwrap_or_default()),
    );
    let body = s3.get_object("quickstart", key).await?;
    step(
        format!("GET /quickstart/{key}"),
        String::from_utf8_lossy(&body),
    );
    let listing = all_objects(
        &s3,
        "quickstart",
        &ListObjectsQuery::new().prefix("reports/"),
    )
    .await?;
    step(
        "GET /quickstart?list-type=2&prefix=reports/",
        format!("{} object(s)", listing.objects.len()),
    );
    let url = s3.presign_get("quickstart", key, std::time::Duration::from_secs(300))?;
    let plain = reqwest::get(&url).await?;
    step(
        "GET presigned URL, no credentials",
        format!("{} ({} bytes)", plain.status(), plain.bytes().await?.len()),
    );

    let key_id = env
        .lookup("AWS_ACCESS_KEY_ID")
        .ok_or("no AWS_ACCESS_KEY_ID")?;
    let wrong = Sigv4Credentials::new(key_id, "not-the-secret")?;
    let intruder = S3Client::builder()
        .scheme(Sigv4Scheme::new(wrong, &config.region, "s3")?)
        .base_url(config.endpoint_url.clone().ok_or("no endpoint")?)
        .build()?;
    refused(
        "GET /quickstart/… with a wrong secret",
        intruder.get_object("quickstart", key).await,
    )
}

fn describe(status: Option<&Status>) -> String {
    status.map_or_else(
        || "no status given".into(),
        |status| format!("status {status}"),
    )
}

fn step(call: impl Display, outcome: impl Display) {
    println!("  {call:<48} {outcome}");
}

/// Checks that a call made with wrong credentials was refused as an authentication
/// failure, and shows how; anything else fails the quickstart.
fn refused<T>(call: &str, result: signed_api::Result<T>) -> Outcome {
    match result {
        Err(Error::Api(error)) if error.kind == ApiErrorKind::Authentication => {
            step(call, format!("refused: {error}"));
            println!();
            Ok(())
        }
        Err(other) => Err(format!("{call}: expected an authentication error, got {other}").into()),
        Ok(_) => Err(format!("{call}: the mock accepted a wrong key").into()),
    }
}
