"""atomic_write: the target changes only when the block ends without error."""

import os

import pytest

from nndl_book._atomic import atomic_write, write_text


def test_text_and_binary_files_are_written(tmp_path):
    with atomic_write(tmp_path / "a.txt") as f:
        f.write("π ≈ 3.14\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "π ≈ 3.14\n"
    with atomic_write(tmp_path / "b.bin", "wb") as f:
        f.write(b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert os.stat(tmp_path / "b.bin").st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_a_failure_inside_the_block_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    with pytest.raises(RuntimeError, match="checksum"):
        with atomic_write(target) as f:
            f.write("new, half written")
            raise RuntimeError("checksum does not match")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    with atomic_write(target) as f:
        f.write("new")
    assert target.read_text() == "new"
    assert os.stat(target).st_mode & 0o777 == 0o600  # the replaced file's permissions are kept


def test_bad_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="mode must be 'w' or 'wb'"):
        with atomic_write(tmp_path / "x", "a"):
            pass


def test_write_text_replaces_the_file_in_one_piece(tmp_path) -> None:
    target = tmp_path / "page.md"
    target.write_text("old")
    write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary file left
