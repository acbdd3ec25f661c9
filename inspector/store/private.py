"""Files only the server's user may read: the data folder, the SQLite database, the secret key.

The data folder holds password hashes, tokens, photos and the key that signs
upload URLs, so it is made ``0700`` and the database and key ``0600``; a folder
or file found looser (made by an older version, or by hand) is tightened on
start-up. On systems without POSIX modes (Windows) ``chmod`` does next to
nothing and these calls are harmless.
"""

import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)
DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _tighten(path: Path, mode: int) -> None:
    current = stat.S_IMODE(path.stat().st_mode)
    if current & 0o077:
        path.chmod(mode)
        log.warning("%s was readable by others (mode %o); now %o", path, current, mode)


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner may enter (made with parents if missing)."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


def private_sqlite(db_path: Path) -> None:
    """Create the SQLite file ``0600`` before SQLite does (it gives its -wal/-shm the same mode);
    tighten the file and its companions when found looser. A missing parent is left to SQLite's error."""
    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        return
    try:
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    for path in (db_path, *(db_path.with_name(db_path.name + s) for s in SQLITE_COMPANIONS)):
        if path.exists():
            _tighten(path, FILE_MODE)


def read_or_make_secret(path: Path) -> str:
    """The secret kept in ``path``, made once with ``secrets`` (mode 0600) when there is none.

    The key is written to a private temporary file and linked into place, so a
    crash never leaves an empty key and two processes starting together agree
    on one key (the second link fails and it reads the first one's).
    """
    path = Path(path)
    private_dir(path.parent)
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(48))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
        finally:
            temporary.unlink(missing_ok=True)
    _tighten(path, FILE_MODE)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to make a new key, or set INSPECTOR_SECRET_KEY")
    return key
