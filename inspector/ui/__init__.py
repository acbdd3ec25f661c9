"""The phone UI (Flet): login, report, my items, to-do, item detail, me.

The same views run inside the server (``web.mount_ui``: one ``ServerWorkspace``
per browser session) and in the field client (``field.run_field``: a
``FieldWorkspace`` with a local store and an outbox). Views talk only to the
``Workspace`` protocol, and to device services through ``device.Devices``.
"""
