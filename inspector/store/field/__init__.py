"""The field client's local state: every SQL statement of a phone's or laptop's own database.

One data folder holds ``field.db`` (the server's schema) and ``blobs/``. Its
tables are read and written here, by area:

- ``database``: opening the file so that a commit survives a power cut;
- ``state``: the key-value facts (login, server, device id, pull cursor, what a round kept);
- ``outbox``: this device's events waiting to go up, or refused with the server's reason;
- ``mirror``: the server's confirmed events, the items projected from them, the sites;
- ``photos``: the facts of the photos kept on this device;
- ``projection``: the items as this device sees them (confirmed events, then its waiting ones);
- ``rows``: the one way a row is written by its key.

Every function takes the caller's session (one unit of work in
``inspector.sync.local``) and hands out domain values or public models,
never table rows.
"""
