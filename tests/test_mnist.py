"""load_mnist and read_idx, offline: the tests write small IDX files and serve them by file://."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from nndl_book.data import MNIST_FILES, load_mnist, read_idx

NAMES = {part: name for part, (name, _) in MNIST_FILES.items()}


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    """An IDX file written by hand from the format's description (not by the package)."""
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", s) for s in array.shape)
    return header + array.astype(">u1" if code == 0x08 else ">i4").tobytes()


def make_mirror(folder: Path, n_train: int = 6, n_test: int = 4,
                seed: int = 0) -> tuple[dict, dict]:
    """Write four gzipped IDX files; return the arrays and a files table with their MD5s."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_images": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, size=n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, size=n_test, dtype=np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for part, array in arrays.items():
        blob = gzip.compress(idx_bytes(array))
        (folder / NAMES[part]).write_bytes(blob)
        files[part] = (NAMES[part], hashlib.md5(blob).hexdigest())
    return arrays, files


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[str, dict, dict, Path]:
    arrays, files = make_mirror(tmp_path / "mirror")
    return (tmp_path / "mirror").as_uri(), arrays, files, tmp_path / "cache"


def test_load_all_train_test(mirror):
    url, arrays, files, cache = mirror
    X, y = load_mnist(cache_dir=cache, base_url=url, files=files)
    assert X.shape == (10, 784) and X.dtype == np.float64
    assert y.shape == (10,) and y.dtype == np.int64
    images = np.concatenate([arrays["train_images"], arrays["test_images"]])
    np.testing.assert_array_equal(X * 255, images.reshape(10, 784))
    np.testing.assert_array_equal(y, np.concatenate([arrays["train_labels"],
                                                     arrays["test_labels"]]))
    assert 0.0 <= X.min() and X.max() <= 1.0
    Xt, yt = load_mnist("test", cache_dir=cache, base_url=url, files=files)
    np.testing.assert_array_equal(Xt, X[6:])
    np.testing.assert_array_equal(yt, y[6:])


def test_downloads_once_then_reads_the_cache(mirror):
    url, arrays, files, cache = mirror
    load_mnist("train", cache_dir=cache, base_url=url, files=files)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [NAMES["train_images"], NAMES["train_labels"]])
    for p in Path(url[len("file://"):]).iterdir():  # the mirror goes away
        p.unlink()
    X, _ = load_mnist("train", cache_dir=cache, base_url=url, files=files, download=False)
    np.testing.assert_array_equal(X * 255, arrays["train_images"].reshape(6, -1))


def test_no_download_and_missing_file(mirror):
    url, _, files, cache = mirror
    with pytest.raises(FileNotFoundError, match="download=False"):
        load_mnist(cache_dir=cache, base_url=url, files=files, download=False)


def test_wrong_checksum_download_is_not_kept(mirror):
    url, _, files, cache = mirror
    bad = dict(files, train_labels=(NAMES["train_labels"], "0" * 32))
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz.*corrupted or truncated"):
        load_mnist("train", cache_dir=cache, base_url=url, files=bad)
    left = sorted(p.name for p in cache.iterdir())
    assert left == [NAMES["train_images"]]  # no label file, no temporary file


def test_truncated_download_is_refused_and_not_kept(mirror):
    url, _, files, cache = mirror
    path = Path(url[len("file://"):]) / NAMES["test_images"]
    blob = path.read_bytes()[:-20]
    path.write_bytes(blob)
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz"):
        load_mnist("test", cache_dir=cache, base_url=url, files=files)
    assert not (cache / NAMES["test_images"]).exists()


def test_corrupted_cache_file_is_deleted_and_downloaded_again(mirror):
    url, arrays, files, cache = mirror
    load_mnist("test", cache_dir=cache, base_url=url, files=files)
    cached = cache / NAMES["test_labels"]
    cached.write_bytes(cached.read_bytes()[:10])  # damaged after download
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte.gz is corrupted.*deleted"):
        load_mnist("test", cache_dir=cache, base_url=url, files=files)
    assert not cached.exists()
    _, y = load_mnist("test", cache_dir=cache, base_url=url, files=files)
    np.testing.assert_array_equal(y, arrays["test_labels"])


def test_read_idx_parses_shapes_and_types(tmp_path):
    a = np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 5
    (tmp_path / "a.idx").write_bytes(idx_bytes(a, code=0x0C))
    out = read_idx(tmp_path / "a.idx")
    np.testing.assert_array_equal(out, a)
    assert out.dtype == np.int32 and out.dtype.isnative
    b = np.arange(5, dtype=np.uint8)
    (tmp_path / "b.gz").write_bytes(gzip.compress(idx_bytes(b)))
    np.testing.assert_array_equal(read_idx(tmp_path / "b.gz"), b)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"\x01\x00\x08\x01\x00\x00\x00\x02ab", "not an IDX file"),
        (b"\x00\x00\x07\x01\x00\x00\x00\x02ab", "unknown IDX type code 0x07"),
        (b"\x00\x00\x08\x02\x00\x00\x00\x02", "header is incomplete"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x04ab", r"truncated.*shape \(4,\)"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01ab", "longer than its header says"),
    ],
)
def test_read_idx_bad_files(tmp_path, blob, message):
    path = tmp_path / "bad.idx"
    path.write_bytes(blob)
    with pytest.raises(ValueError, match=message):
        read_idx(path)
    with pytest.raises(ValueError, match="bad.idx"):
        read_idx(path)


def test_read_idx_bad_gzip(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(100, np.uint8)))[:-30])
    with pytest.raises(ValueError, match="bad.gz is not a readable gzip file"):
        read_idx(path)


def test_images_and_labels_must_agree(tmp_path):
    arrays, files = make_mirror(tmp_path / "m")
    blob = gzip.compress(idx_bytes(np.zeros(5, np.uint8)))  # 5 labels for 6 images
    (tmp_path / "m" / NAMES["train_labels"]).write_bytes(blob)
    files["train_labels"] = (NAMES["train_labels"], hashlib.md5(blob).hexdigest())
    with pytest.raises(ValueError, match="train files disagree"):
        load_mnist("train", cache_dir=tmp_path / "c", base_url=(tmp_path / "m").as_uri(),
                   files=files)


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        load_mnist("dev", cache_dir=tmp_path)
    with pytest.raises(TypeError, match="download"):
        load_mnist(cache_dir=tmp_path, download="yes")
    with pytest.raises(ValueError, match="files must name every part"):
        load_mnist(cache_dir=tmp_path, files={"train_images": ("a", "b")})


def test_the_real_checksum_table_names_the_four_official_files():
    assert {name for name, _ in MNIST_FILES.values()} == {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}
    assert all(len(md5) == 32 for _, md5 in MNIST_FILES.values())
