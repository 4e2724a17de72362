from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from debrief.errors import ModelIntegrityError, ModelNotFoundError
from debrief.llm.model_files import (
    PACKAGED_MODELS,
    PackagedModel,
    check_gguf_file,
    ensure_packaged_model,
    locate_parts,
    resolve_model_file,
)

PART_BYTES = [b"GGUF" + b"a" * 3000, b"b" * 5000, b"c" * 123]


def fake_model(
    tmp_path: Path, parts: list[bytes] = PART_BYTES, sha: str | None = None
) -> PackagedModel:
    paths = []
    for index, data in enumerate(parts):
        path = tmp_path / "site-packages" / f"part{index:02d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    whole = b"".join(PART_BYTES)
    return PackagedModel(
        key="tiny",
        file_name="tiny.gguf",
        sha256=sha or hashlib.sha256(whole).hexdigest(),
        package_hint="tiny-part packages",
        credit="test",
        part_paths=lambda: paths,
    )


def test_assembles_the_parts_in_order_and_verifies(tmp_path: Path) -> None:
    seen: list[float | None] = []
    found = ensure_packaged_model(
        fake_model(tmp_path), tmp_path / "data", lambda _s, f: seen.append(f)
    )
    assert found.path.read_bytes() == b"".join(PART_BYTES)
    assert found.verified and found.path.parent == tmp_path / "data" / "models"
    fractions = [f for f in seen if f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert not list(found.path.parent.glob("*.partial"))


def test_a_verified_file_is_not_assembled_again(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    first = ensure_packaged_model(model, tmp_path / "data")
    before = first.path.stat().st_mtime_ns
    stages: list[str] = []
    again = ensure_packaged_model(model, tmp_path / "data", lambda s, _f: stages.append(s))
    assert again.path.stat().st_mtime_ns == before
    assert stages == []  # trusted by its stamp: no re-hash, no copy


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:1000]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"X" + p.read_bytes()[1:]), id="corrupted"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
    ],
)
def test_a_damaged_file_is_reassembled(tmp_path: Path, damage: object) -> None:
    model = fake_model(tmp_path)
    path = ensure_packaged_model(model, tmp_path / "data").path
    damage(path)  # type: ignore[operator]
    os.utime(path, ns=(1, 1))  # a changed mtime invalidates the stamp, as any edit would
    repaired = ensure_packaged_model(model, tmp_path / "data")
    assert repaired.path.read_bytes() == b"".join(PART_BYTES)


def test_full_check_rehashes_even_with_a_matching_stamp(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    path = ensure_packaged_model(model, tmp_path / "data").path
    stat = path.stat()
    path.write_bytes(b"Y" * stat.st_size)  # same size, same mtime below: the stamp still matches
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ensure_packaged_model(model, tmp_path / "data").path.read_bytes()[0:1] == b"Y"
    repaired = ensure_packaged_model(model, tmp_path / "data", full_check=True)
    assert repaired.path.read_bytes() == b"".join(PART_BYTES)


def test_parts_that_do_not_match_the_hash_leave_nothing_behind(tmp_path: Path) -> None:
    model = fake_model(tmp_path, sha="0" * 64)
    with pytest.raises(ModelIntegrityError) as caught:
        ensure_packaged_model(model, tmp_path / "data")
    assert "0" * 64 in caught.value.message and "reinstall" in caught.value.hint
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_a_missing_part_is_named(tmp_path: Path) -> None:
    model = fake_model(tmp_path)
    missing = model.part_paths()[1]
    missing.unlink()
    with pytest.raises(ModelNotFoundError) as caught:
        ensure_packaged_model(model, tmp_path / "data")
    assert str(missing) in caught.value.message


def test_a_missing_package_is_named(tmp_path: Path) -> None:
    def not_installed() -> list[Path]:
        raise ModuleNotFoundError("No module named 'tiny_part1'", name="tiny_part1")

    model = PackagedModel("tiny", "tiny.gguf", "0" * 64, "tiny-part1", "test", not_installed)
    with pytest.raises(ModelNotFoundError) as caught:
        locate_parts(model)
    assert "tiny_part1" in caught.value.message and "tiny-part1" in caught.value.hint


def test_the_default_model_parts_are_installed() -> None:
    parts = locate_parts(PACKAGED_MODELS["qwen2.5-coder-1.5b"])
    assert len(parts) == 22
    assert [p.name for p in parts] == [f"part{i:02d}.bin" for i in range(1, 23)]
    assert sum(p.stat().st_size for p in parts) > 1_000_000_000


def test_a_wrong_model_path_is_named(tmp_path: Path) -> None:
    wrong = tmp_path / "nowhere" / "model.gguf"
    with pytest.raises(ModelNotFoundError) as caught:
        resolve_model_file(tmp_path, "qwen2.5-coder-1.5b", wrong)
    assert str(wrong) in caught.value.message
    assert "DEBRIEF_MODEL_PATH" in caught.value.hint


def test_a_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    with pytest.raises(ModelIntegrityError) as caught:
        check_gguf_file(fake)
    assert str(fake) in caught.value.message


def test_a_custom_gguf_is_accepted_without_a_known_hash(tmp_path: Path) -> None:
    custom = tmp_path / "mine.gguf"
    custom.write_bytes(b"GGUF" + b"\0" * 16)
    found = resolve_model_file(tmp_path, "qwen2.5-coder-1.5b", custom)
    assert found.path == custom and found.sha256 is None and not found.verified
