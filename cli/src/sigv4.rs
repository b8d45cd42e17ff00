//! `signed-api sigv4 METHOD PATH …`: a call as the other schemes make it, signed for the
//! service and region the flags or the AWS configuration give, or, with `--presign`, a
//! presigned URL printed instead of anything sent.

use signed_api_runtime::schemes::sigv4::{self, UNSIGNED_PAYLOAD};

use crate::args::Sigv4Args;
use crate::call::{self, Inputs, print_stdout};
use crate::dry_run;
use crate::error::CliError;
use crate::target;

/// The header that tells SigV4 which payload hash to sign.
const CONTENT_SHA256: &str = "x-amz-content-sha256";

pub async fn run(args: Sigv4Args) -> Result<(), CliError> {
    let mut inputs = Inputs::check(&args.call)?;
    if args.unsigned_payload {
        inputs.add_header(CONTENT_SHA256, UNSIGNED_PAYLOAD, "--unsigned-payload")?;
    }
    let method = inputs.method().clone();
    let target = target::load_sigv4(
        &args.service,
        args.region.as_deref(),
        args.call.base_url.as_deref(),
    )?;
    let request = call::request(&sigv4::DESCRIPTOR, &target, &args.call, inputs)?;
    match args.presign {
        None => call::show_or_send(request, args.call.dry_run).await,
        Some(expires_in) => {
            // Signed with the local clock: presigning asks the network nothing.
            let url = request.presign(expires_in)?;
            // A presigned URL is sent by nobody here, dry run or not; a dry run only hides
            // what makes it usable, as it hides every credential.
            let text = if args.call.dry_run {
                dry_run::render_presigned(&method, &url)
            } else {
                format!("{url}\n")
            };
            print_stdout(text.as_bytes())
        }
    }
}
