//! Read-only calls to a real S3 store (AWS, OVHcloud Object Storage, MinIO, R2, …) with
//! the typed client.
//!
//! Settings are read as the AWS CLI reads them: `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), `AWS_REGION`, `AWS_ENDPOINT_URL_S3`
//! or `AWS_ENDPOINT_URL` for a store other than AWS, else the profile (`AWS_PROFILE`) of
//! `~/.aws/credentials` and `~/.aws/config`.
//!
//!     cargo run --example s3                 # the buckets
//!     cargo run --example s3 -- my-bucket    # and the first objects of one, with a
//!                                            # presigned link to the first
//!
//! Nothing is written: the example lists and reads only.

use std::process::ExitCode;
use std::time::Duration;

use signed_api_clients::s3::{ListObjectsQuery, S3, S3Client, Sigv4Config, object_page};

#[tokio::main]
async fn main() -> ExitCode {
    match run(std::env::args().nth(1)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(bucket: Option<String>) -> signed_api::Result<()> {
    let config = Sigv4Config::from_env("s3")?;
    println!(
        "S3 in {} (profile {}), {}",
        config.region,
        config.profile,
        config
            .endpoint_url
            .as_deref()
            .unwrap_or("AWS's regional endpoint")
    );
    let s3 = S3Client::from_config(config)?;

    let Some(bucket) = bucket else {
        let listing = s3.list_buckets().await?;
        println!("{} bucket(s)", listing.buckets.len());
        for bucket in &listing.buckets {
            println!("  {}", bucket.name);
        }
        return Ok(());
    };

    let page = object_page(&s3, &bucket, &ListObjectsQuery::new().max_keys(20), None).await?;
    println!("first objects of {bucket}:");
    for object in &page.contents {
        println!("  {:>12} {}", object.size.unwrap_or(0), object.key);
    }
    if let Some(first) = page.contents.first() {
        let url = s3.presign_get(&bucket, &first.key, Duration::from_secs(300))?;
        println!(
            "a link to {} for five minutes (anyone holding it can read it):",
            first.key
        );
        println!("  {url}");
    }
    Ok(())
}
