"""Signs a set of requests with botocore (AWS's own Python signer) and writes what it
added to each, for `runtime/tests/sigv4_botocore.rs` to reproduce.

Run by hand, outside the repository's build, in a virtualenv:

    python3 -m venv /tmp/botocore && /tmp/botocore/bin/pip install botocore
    /tmp/botocore/bin/python tests/vectors/sigv4-botocore/generate.py \
        > tests/vectors/sigv4-botocore/cases.json

The requests carry only headers both signers sign (botocore signs every header it is
given; signed-api signs host, content-type, content-md5 and x-amz-*).
"""

import datetime
import json
import sys
import types
from unittest import mock

import botocore
import botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TIMESTAMP = 1_700_000_000  # 2023-11-14T22:13:20Z
NOW = datetime.datetime.fromtimestamp(TIMESTAMP, datetime.timezone.utc).replace(tzinfo=None)
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLE//token+with/slashes=="

CASES = [
    # name, service, region, method, url, headers, body, token, form, payload_signing, expires
    ("s3-get-object-unicode-key", "s3", "eu-west-3", "GET",
     "https://bucket.s3.eu-west-3.amazonaws.com/dir/caf%C3%A9%20menu.txt", {}, b"", False, "header", True, None),
    ("s3-list-objects-query", "s3", "us-east-1", "GET",
     "https://s3.amazonaws.com/bucket?list-type=2&prefix=a%2Fb%20c&delimiter=%2F&max-keys=10", {}, b"", False, "header", True, None),
    ("s3-put-object-metadata", "s3", "eu-west-3", "PUT",
     "https://s3.gra.io.cloud.ovh.net/bucket/photos/2024/a+b.jpg",
     {"Content-Type": "image/jpeg", "x-amz-meta-owner": "  Ana   María  "}, b"\x00\xffbinary body", False, "header", True, None),
    ("s3-put-unsigned-payload", "s3", "eu-west-3", "PUT",
     "https://bucket.s3.eu-west-3.amazonaws.com/big.bin", {"Content-Type": "application/octet-stream"},
     b"streamed later", False, "header", False, None),
    ("s3-session-token", "s3", "us-west-2", "DELETE",
     "https://bucket.s3.us-west-2.amazonaws.com/k", {}, b"", True, "header", True, None),
    ("s3-dot-segments-kept", "s3", "us-east-1", "GET",
     "http://127.0.0.1:9000/s3/bucket/a/../b/./c//d", {}, b"", False, "header", True, None),
    ("general-normalised-double-encoded", "execute-api", "eu-central-1", "POST",
     "https://abc.execute-api.eu-central-1.amazonaws.com/stage/a/./b/../c%20d//e?z=1&a=%2B&a=&flag",
     {"Content-Type": "application/json"}, b'{"hello":"world"}', False, "header", True, None),
    ("general-session-token", "iam", "us-east-1", "GET",
     "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", {}, b"", True, "header", True, None),
    ("s3-presigned-get", "s3", "eu-west-3", "GET",
     "https://bucket.s3.eu-west-3.amazonaws.com/reports/q3%202024.pdf?versionId=abc", {}, b"", False, "query", True, 3600),
    ("s3-presigned-put-token", "s3", "eu-west-3", "PUT",
     "https://s3.eu-west-3.amazonaws.com/bucket/upload.bin", {}, b"", True, "query", True, 604800),
    ("general-presigned", "execute-api", "eu-central-1", "GET",
     "https://abc.execute-api.eu-central-1.amazonaws.com/stage/items?b=2&a=1", {}, b"", False, "query", True, 60),
]


def sign(case):
    name, service, region, method, url, headers, body, token, form, payload_signing, expires = case
    credentials = Credentials(KEY_ID, SECRET, TOKEN if token else None)
    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    # S3 reads the choice from the client's configuration, the other services from here.
    request.context["payload_signing_enabled"] = payload_signing
    request.context["client_config"] = types.SimpleNamespace(
        s3={"payload_signing_enabled": payload_signing}
    )
    if form == "header":
        signer = (S3SigV4Auth if service == "s3" else SigV4Auth)(credentials, service, region)
    else:
        signer = (S3SigV4QueryAuth if service == "s3" else SigV4QueryAuth)(
            credentials, service, region, expires=expires
        )
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=NOW):
        signer.add_auth(request)
    added = {
        name.lower(): value
        for name, value in request.headers.items()
        if name.lower() not in {h.lower() for h in headers}
    }
    return {
        "name": name,
        "service": service,
        "region": region,
        "method": method,
        "url": url,
        "headers": [[k, v] for k, v in headers.items()],
        "body_hex": body.hex(),
        "session_token": bool(token),
        "form": form,
        "unsigned_payload": not payload_signing,
        "expires": expires,
        "added_headers": dict(sorted(added.items())) if form == "header" else {},
        "presigned_url": request.url if form == "query" else None,
    }


json.dump(
    {
        "generator": f"botocore {botocore.__version__}",
        "timestamp": TIMESTAMP,
        "access_key_id": KEY_ID,
        "secret_access_key": SECRET,
        "session_token": TOKEN,
        "cases": [sign(case) for case in CASES],
    },
    sys.stdout,
    indent=2,
    ensure_ascii=False,
)
sys.stdout.write("\n")
