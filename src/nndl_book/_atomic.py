"""Write a file so that no reader ever sees it half-written.

Every file the project writes (checkpoints, downloads, executed notebooks, generated pages) goes
through :func:`atomic_write` (or :func:`write_text`, for text in one piece): the data goes to a
temporary file in the target's folder, is flushed and fsync'ed, and only then replaces the target
with ``os.replace``. If anything fails on the way, including a check the caller makes before
leaving the ``with`` block, the temporary file is removed and the target is left exactly as it
was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the ``with`` block ends without error.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write. Its folder must exist.
    mode : {"w", "wb"}, default "w"
        Text (UTF-8) or binary.

    Yields
    ------
    file object
        The temporary file, open for writing.

    Notes
    -----
    The new file keeps the permissions of the file it replaces, or gets 0o644 (``mkstemp``
    would make it private).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', got {mode!r}")
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        permissions = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, permissions)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file ``path`` by ``text`` (UTF-8) through :func:`atomic_write`."""
    with atomic_write(path) as f:
        f.write(text)
