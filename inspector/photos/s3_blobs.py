"""Photo bytes in an S3-compatible bucket (INSPECTOR_BLOBS=s3): servers behind one load balancer share them.

Amazon S3, MinIO, Ceph RGW, Alibaba OSS or Tencent COS in S3 mode: any store
that speaks the S3 API. Built on boto3 (the ``s3`` extra: ``uv sync --extra
s3``), imported only when this store is chosen. Settings: ``INSPECTOR_S3_ENDPOINT``
(unset: AWS), ``_BUCKET`` (made by the operator beforehand), ``_PREFIX``,
``_REGION``; credentials come the standard AWS way (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, a profile, an instance role).

An object is named ``<prefix><variant>/<sha256>``, the blob key itself.
``put`` is write-once like the file store's: a ``HeadObject`` skips what is
there without sending the bytes again, then ``PutObject`` with
``If-None-Match: *`` makes sure that of two servers putting one key at once
exactly one creates it (a store that does not know the condition answers 501
and gets a plain put, harmless for content named by its hash). A missing
object is PhotoNotFound (404 over HTTP); a store that does not answer is
BlobStoreUnavailable (503, retryable), never a 500.

The credentials need GetObject, PutObject, DeleteObject (the start-up sweep)
and ListBucket: without ListBucket, S3 answers 403 instead of 404 for a
missing object.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from inspector.errors import BlobStoreUnavailable, PhotoNotFound
from inspector.photos.blobs import BlobEntry, is_blob_key, parse_blob_key, sha256_of_chunks

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_MISSING = {"404", "NoSuchKey", "NotFound"}
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict"}  # 412; 409: another conditional put in flight


def client_for(settings):
    """A boto3 S3 client for ``settings`` (thread-safe: one per server, shared by every request)."""
    config = Config(
        connect_timeout=5, read_timeout=60, retries={"mode": "standard", "max_attempts": 3},
        # path-style names (endpoint/bucket/key) are what MinIO and most self-hosted stores expect
        s3={"addressing_style": "path" if settings.s3_endpoint else "auto"},
    )
    return boto3.client("s3", endpoint_url=settings.s3_endpoint or None, region_name=settings.s3_region or None,
                        config=config)


class S3BlobStore:
    """The BlobStore (and MaintainedBlobStore) over one bucket and prefix."""

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix
        self._conditional = True  # False once the store said it does not know If-None-Match

    @classmethod
    def from_settings(cls, settings) -> "S3BlobStore":
        """The store the settings name; BlobStoreUnavailable at once if its bucket cannot be reached."""
        store = cls(client_for(settings), settings.s3_bucket, settings.s3_prefix)
        with store._answering():
            store.client.head_bucket(Bucket=store.bucket)  # a wrong endpoint, bucket or key is said at start-up
        return store

    def _name(self, key: str) -> str:
        parse_blob_key(key)  # only keys blob_key made become object names
        return self.prefix + key

    @contextmanager
    def _answering(self):
        """Turn the store's failures into BlobStoreUnavailable (the details: no endpoint, no secrets)."""
        try:
            yield
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "?")
            log.warning("S3 store %s: %s", self.bucket, error)
            raise BlobStoreUnavailable(store="s3", problem=str(code)) from error
        except BotoCoreError as error:
            log.warning("S3 store %s: %s", self.bucket, error)
            raise BlobStoreUnavailable(store="s3", problem=type(error).__name__) from error

    def put(self, key: str, data: bytes) -> bool:
        name = self._name(key)
        for _attempt in range(3):
            if self.exists(key):
                return False
            with self._answering():
                try:
                    extra = {"IfNoneMatch": "*"} if self._conditional else {}
                    self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=_content_type(name),
                                           **extra)
                    return True
                except ClientError as error:
                    if _code(error) in _LOST_RACE or _status(error) == 412:
                        continue  # another server's put of the same bytes came first (or is under way): look again
                    if _status(error) == 501 and self._conditional:
                        log.warning("S3 store %s knows no If-None-Match: plain puts from now on", self.bucket)
                        self._conditional = False
                        continue
                    raise
        if self.exists(key):
            return False
        raise BlobStoreUnavailable(store="s3", problem="ConditionalRequestConflict")

    def get(self, key: str) -> bytes:
        name = self._name(key)
        with self._answering():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
            except ClientError as error:
                if _code(error) in _MISSING or _status(error) == 404:
                    variant, sha256 = parse_blob_key(key)
                    raise PhotoNotFound(sha256=sha256, variant=variant) from None
                raise

    def exists(self, key: str) -> bool:
        name = self._name(key)
        with self._answering():
            try:
                self.client.head_object(Bucket=self.bucket, Key=name)
                return True
            except ClientError as error:
                if _code(error) in _MISSING or _status(error) == 404:
                    return False
                raise

    # --- maintenance (MaintainedBlobStore) ---------------------------------------------
    def entries(self) -> Iterator[BlobEntry]:
        """Every object under the prefix that is named like a blob (ListObjectsV2, 1000 a page)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        with self._answering():
            for page in pages:
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix):]
                    if is_blob_key(key):
                        yield BlobEntry(key, None, item["LastModified"].timestamp())

    def temp_files(self) -> Iterator:
        """Nothing: an object appears whole when its one PUT completes, or not at all."""
        return iter(())

    def remove(self, key: str, session=None) -> bool:
        """Delete the object (DeleteObject says nothing of whether it was there: HeadObject first)."""
        if not self.exists(key):
            return False
        with self._answering():
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        return True

    def digest(self, key: str) -> str | None:
        """The SHA-256 of the object, streamed in 1 MB pieces; None if it is missing."""
        name = self._name(key)
        with self._answering():
            try:
                body = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
            except ClientError as error:
                if _code(error) in _MISSING or _status(error) == 404:
                    return None
                raise
            return sha256_of_chunks(body.iter_chunks(_CHUNK))


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _content_type(name: str) -> str:
    # originals may be PNG, WebP or HEIC; the derived copies are JPEG (inspector.photos.derive)
    return "application/octet-stream" if name.rsplit("/", 2)[-2] == "original" else "image/jpeg"
