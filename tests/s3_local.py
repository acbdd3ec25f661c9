"""A real S3-compatible server on loopback for the blob store tests: moto's server mode.

``ThreadedMotoServer`` speaks the S3 HTTP API on 127.0.0.1 from a thread of the
test process, so child ``inspector serve`` processes reach it as they would a
MinIO. One per test worker (session scope); each test takes a bucket of its own.
"""

import logging
import os
import uuid
from dataclasses import dataclass

import pytest

REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "inspector-test", "AWS_SECRET_ACCESS_KEY": "inspector-test-secret"}


@dataclass(frozen=True)
class LocalS3:
    endpoint: str

    def client(self):
        """A boto3 client of the test's own (not the store's), to look behind the store's back."""
        import boto3  # lazy: boto3 is a test dependency of the S3 tests only

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])

    def new_bucket(self) -> str:
        name = f"photos-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def environment(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """What an operator sets for ``INSPECTOR_BLOBS=s3`` on this server."""
        return {"INSPECTOR_BLOBS": "s3", "INSPECTOR_S3_ENDPOINT": self.endpoint, "INSPECTOR_S3_BUCKET": bucket,
                "INSPECTOR_S3_PREFIX": prefix, "INSPECTOR_S3_REGION": REGION, **CREDENTIALS}


@pytest.fixture(scope="session")
def local_s3():
    """moto's S3 server on a free loopback port, stopped at the end of the worker's session."""
    server_module = pytest.importorskip("moto.server", reason="the S3 tests need moto[server] (dev group)")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)  # boto3 in this process reads them the standard way, as a server would
    try:
        yield LocalS3(f"http://{host}:{port}")
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
