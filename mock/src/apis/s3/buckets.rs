//! The service and its buckets: ListBuckets (`GET /`), CreateBucket, DeleteBucket,
//! HeadBucket, GetBucketLocation (`GET /bucket?location`) and the two listings.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::errors::{S3Error, invalid_argument};
use super::listing::{V1_PARAMETERS, V2_PARAMETERS, list_v1, list_v2};
use super::target::Query;
use super::xml::Xml;
use super::{S3Api, empty, iso8601_millis, xml_answer};
use crate::apis::lock;

/// `GET /`: every bucket, by name.
pub(super) fn list_buckets(api: &S3Api, query: &Query) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    let store = lock(&api.store);
    let mut xml = Xml::new();
    xml.root("ListAllMyBucketsResult");
    api.owner.write(&mut xml);
    xml.open("Buckets");
    for (name, bucket) in &store.buckets {
        xml.open("Bucket")
            .text("Name", name)
            .text("CreationDate", &iso8601_millis(bucket.created))
            .close("Bucket");
    }
    xml.close("Buckets").close("ListAllMyBucketsResult");
    Ok(xml_answer(xml.finish()))
}

/// `PUT /bucket`. A `CreateBucketConfiguration` body is not read: every bucket is in the
/// mock's region.
pub(super) fn create(
    api: &S3Api,
    name: &str,
    query: &Query,
    now: i64,
) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    lock(&api.store).create_bucket(name, now)?;
    let mut response = empty(StatusCode::OK);
    if let Ok(location) = HeaderValue::from_str(&format!("/{name}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `DELETE /bucket`: only when empty.
pub(super) fn delete(api: &S3Api, name: &str, query: &Query) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    lock(&api.store).delete_bucket(name)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// `HEAD /bucket`: whether it exists, and its region.
pub(super) fn head(api: &S3Api, name: &str, query: &Query) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    lock(&api.store).bucket(name)?;
    let mut response = empty(StatusCode::OK);
    if let Ok(region) = HeaderValue::from_str(api.region()) {
        response.headers_mut().insert("x-amz-bucket-region", region);
    }
    Ok(response)
}

/// `GET /bucket`: its location with `?location`, else its keys (`list-type=2` for the
/// second version).
pub(super) fn get(api: &S3Api, name: &str, query: &Query) -> Result<Response, S3Error> {
    if query.get("location").is_some() {
        query.only(&["location"], false)?;
        lock(&api.store).bucket(name)?;
        // S3 names AWS's first region with an empty constraint.
        let region = api.region();
        let constraint = if region == "us-east-1" { "" } else { region };
        let document = Xml::new()
            .root("LocationConstraint")
            .chars(constraint)
            .close("LocationConstraint")
            .finish();
        return Ok(xml_answer(document));
    }
    let store = lock(&api.store);
    let bucket = store.bucket(name)?;
    let document = match query.get("list-type") {
        Some("2") => {
            query.only(V2_PARAMETERS, false)?;
            list_v2(name, bucket, query, &api.owner)?
        }
        Some(_) => return Err(invalid_argument("list-type must be 2 when given")),
        None => {
            query.only(V1_PARAMETERS, false)?;
            list_v1(name, bucket, query, &api.owner)?
        }
    };
    Ok(xml_answer(document))
}
