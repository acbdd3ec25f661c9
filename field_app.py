"""The phone app's entry for ``flet build apk|aab|ipa`` (``[tool.flet.app] module`` in pyproject.toml).

The field client, run natively: ``inspector.phone.main`` (local store in the app's storage folder, the
server address asked on first start). ``main.py`` stays the quick start of the server; see
docs/field-app.md, "Building the phone app". ``uv run flet run field_app.py`` tries it on a laptop.
"""

import flet as ft

from inspector.phone import main

if __name__ == "__main__":
    ft.run(main)
