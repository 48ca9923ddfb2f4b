"""MNIST: downloaded once into a cache folder, checked, parsed from its IDX files with numpy.

The four gzip-compressed IDX files are fetched from a mirror (``base_url``) the first time and
kept in ``cache_dir``. Each download goes to a temporary file, is checked against its MD5
checksum and only then moved into place (``os.replace``), so the cache never holds a partial
or corrupted file; a cached file whose checksum is wrong is deleted and reported.

IDX format (LeCun et al.): two zero bytes, a type code (``0x08`` = unsigned byte), the number
of dimensions ``d``, then ``d`` big-endian 32-bit sizes, then the data in C order.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import urllib.request
import zlib
from pathlib import Path

import numpy as np

from nndl_book import _validate as v
from nndl_book._atomic import atomic_write

__all__ = ["MNIST_FILES", "MNIST_URL", "default_cache_dir", "load_mnist", "read_idx"]

#: Mirror of the original files (the one torchvision uses).
MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"

#: part -> (file name, MD5 checksum of the gzip file).
MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}

_IDX_TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$NNDL_BOOK_DATA/mnist`` if set, else ``~/.cache/nndl_book/mnist``."""
    root = os.environ.get("NNDL_BOOK_DATA")
    base = Path(root) if root else Path.home() / ".cache" / "nndl_book"
    return base / "mnist"


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Parse an IDX file (gzip-compressed if its name ends in ``.gz``) into a numpy array.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    numpy.ndarray
        Shape and dtype as the header states (native byte order).

    Raises
    ------
    ValueError
        If the file is not valid gzip, has no IDX header, an unknown type code, or holds more
        or fewer bytes than its header announces (a truncated download); the message names
        the file.
    """
    path = Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                raw = f.read()
        else:
            raw = path.read_bytes()
    except (OSError, EOFError, zlib.error) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(f"{path.name} is not a readable gzip file (corrupted or truncated): "
                         f"{err}") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path.name} is not an IDX file: it must start with two zero bytes")
    code, ndim = raw[2], raw[3]
    if code not in _IDX_TYPES:
        raise ValueError(f"{path.name} has unknown IDX type code 0x{code:02x}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path.name} is truncated: its IDX header is incomplete")
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_TYPES[code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        what = "truncated" if len(raw) < expected else "longer than its header says"
        raise ValueError(
            f"{path.name} is {what}: header announces shape {shape} "
            f"({expected} bytes), the file holds {len(raw)} bytes"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _download(url: str, target: Path, md5: str) -> None:
    """Fetch ``url`` into ``target`` atomically, only if its MD5 checksum is ``md5``."""
    digest = hashlib.md5(usedforsecurity=False)
    with atomic_write(target, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
        for block in iter(lambda: response.read(_CHUNK), b""):
            digest.update(block)
            out.write(block)
        if digest.hexdigest() != md5:  # raised inside the block: nothing replaces the target
            raise ValueError(
                f"{target.name} downloaded from {url} has MD5 {digest.hexdigest()}, expected "
                f"{md5}: the download is corrupted or truncated (nothing was kept)"
            )


def _fetch(part: str, files: dict, cache: Path, base_url: str, download: bool) -> np.ndarray:
    name, md5 = files[part]
    path = cache / name
    if path.exists() and _md5(path) != md5:
        path.unlink()
        raise ValueError(
            f"cached file {path} is corrupted (MD5 differs from {md5}); it was deleted: "
            "call load_mnist again to download it anew"
        )
    if not path.exists():
        if not download:
            raise FileNotFoundError(f"{path} is missing and download=False")
        _download(base_url.rstrip("/") + "/" + name, path, md5)
    try:
        return read_idx(path)
    except ValueError:
        path.unlink()  # right checksum but unreadable: wrong checksum table; do not keep it
        raise


def load_mnist(
    subset: str = "all",
    *,
    cache_dir: str | os.PathLike | None = None,
    base_url: str = MNIST_URL,
    download: bool = True,
    files: dict[str, tuple[str, str]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's 70,000 handwritten digits of 28x28 pixels, as float64 pixels in [0, 1].

    Parameters
    ----------
    subset : {"all", "train", "test"}, default "all"
        The official 60,000 training images, the 10,000 test images, or both (training first).
    cache_dir : str or path-like, optional
        Folder of the downloaded files; default :func:`default_cache_dir`.
    base_url : str, default :data:`MNIST_URL`
        Where the four files are fetched from (any URL ``urllib`` opens, ``file://`` too).
    download : bool, default True
        Fetch missing files; ``False`` raises ``FileNotFoundError`` instead.
    files : dict, optional
        ``part -> (file name, MD5)`` for the parts ``train_images``, ``train_labels``,
        ``test_images``, ``test_labels``; default :data:`MNIST_FILES`.

    Returns
    -------
    X : numpy.ndarray, shape (n, 784), float64
        Pixel intensities / 255, row by row (``X[i].reshape(28, 28)`` is the image).
    y : numpy.ndarray, shape (n,), int64
        Labels 0 to 9.

    Raises
    ------
    ValueError
        If a file's checksum is wrong or it cannot be parsed (the message names it; it is not
        left in the cache), or images and labels disagree in number.
    """
    v.check_choice("subset", subset, ("all", "train", "test"))
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {type(download).__name__}")
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a string, got {type(base_url).__name__}")
    files = MNIST_FILES if files is None else files
    missing = set(MNIST_FILES) - set(files)
    if missing:
        raise ValueError(f"files must name every part, missing {sorted(missing)}")
    cache = default_cache_dir() if cache_dir is None else Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    parts = ("train", "test") if subset == "all" else (subset,)
    Xs, ys = [], []
    for part in parts:
        images = _fetch(f"{part}_images", files, cache, base_url, download)
        labels = _fetch(f"{part}_labels", files, cache, base_url, download)
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(
                f"MNIST {part} files disagree: images of shape {images.shape}, labels of "
                f"shape {labels.shape}"
            )
        Xs.append(images.reshape(len(images), -1).astype(np.float64) / 255.0)
        ys.append(labels.astype(np.int64))
    return np.concatenate(Xs), np.concatenate(ys)
