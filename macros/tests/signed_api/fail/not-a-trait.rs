use signed_api::signed_api;

#[signed_api(scheme = "ovh")]
pub struct Api;

fn main() {}
