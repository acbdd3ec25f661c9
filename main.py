"""Quick start: the server and its web UI on http://127.0.0.1:8550 with demo data under ./data.

    uv run main.py              # same as: uv run inspector serve --data data --demo
    uv run main.py --port 9000  # any `inspector serve` option may follow
"""

import sys

from inspector.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", "--data", "data", "--demo", *sys.argv[1:]]))
