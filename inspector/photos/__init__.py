"""Photo evidence: check uploads, read EXIF, derive copies, stamp, store write-once.

``pipeline.ingest_photo`` is the entry point for an upload; the modules below
it each do one step (``ingest`` checks, ``exif`` reads metadata, ``derive``
makes the served copies, ``watermark`` stamps them, ``blobs`` stores bytes).
Only Pillow (and pillow-heif for HEIC) is used here; no database, no HTTP.
"""
