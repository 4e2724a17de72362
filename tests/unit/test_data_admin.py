"""Export, import, delete-all and rebuild-index, through the command line a user would run."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from debrief.cli import main
from debrief.records.models import CompanyResearch, Interview, Reflection
from debrief.records.store import RecordStore
from debrief.services.container import open_history
from debrief.services.data_admin import delete_everything
from debrief.settings import load_settings

CANARY = "CANARY-7f3a9-do-not-keep"


def fill(data_dir: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == data_dir
    with open_history(settings) as opened:
        history = opened.history
        interview = history.add_interview(
            Interview(
                company="Acme", role="Analyst", held_at=datetime(2026, 11, 2, 10), notes=CANARY
            )
        )
        assert interview.id is not None
        history.save_reflection(Reflection(interview_id=interview.id, free_text=f"I said {CANARY}"))
        history.add_research(CompanyResearch(title="About Acme", source="pasted", text=CANARY))


def files_containing(root: Path, needle: bytes) -> list[Path]:
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if needle in path.read_bytes():
                found.append(path)
    return found


def test_delete_all_leaves_no_trace(
    isolated_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = isolated_environment
    fill(data_dir)
    models = data_dir / "models"
    models.mkdir()
    (models / "model.gguf").write_bytes(b"GGUF" + CANARY.encode())
    assert files_containing(data_dir, CANARY.encode())  # the canary really was written
    assert main(["delete-all", "--yes"]) == 0
    assert "debrief.sqlite3" in capsys.readouterr().out
    assert not data_dir.exists() or files_containing(data_dir, CANARY.encode()) == []
    assert not data_dir.exists()


def test_delete_all_is_refused_while_debrief_runs(isolated_environment: Path) -> None:
    with RecordStore(isolated_environment):
        with pytest.raises(Exception, match="Another Debrief is using"):
            delete_everything(isolated_environment)
        assert (isolated_environment / "debrief.sqlite3").exists()


def test_delete_all_asks_first(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(isolated_environment)
    monkeypatch.setattr("builtins.input", lambda _prompt: "no")
    assert main(["delete-all"]) == 1
    assert "Nothing was deleted" in capsys.readouterr().out
    assert (isolated_environment / "debrief.sqlite3").exists()


def test_export_then_import_into_a_new_directory(
    isolated_environment: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(isolated_environment)
    export = tmp_path / "export.json"
    assert main(["export", str(export)]) == 0
    payload = json.loads(export.read_text())
    assert payload["format"] == "debrief-export" and len(payload["tables"]["interviews"]) == 1
    monkeypatch.setenv("DEBRIEF_DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["import", str(export)]) == 0
    assert "Imported 1 interviews" in capsys.readouterr().out
    with RecordStore(tmp_path / "elsewhere") as store:
        assert store.export_data()["tables"] == payload["tables"]
    assert main(["import", str(export)]) == 2  # a second import would mix histories
    assert "records already" in capsys.readouterr().err
    assert main(["import", str(export), "--replace"]) == 0


def test_importing_something_else_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "photo.json"
    bogus.write_bytes(b"\x89PNG\r\n")
    assert main(["import", str(bogus)]) == 2
    assert "not a Debrief export" in capsys.readouterr().err


def test_rebuild_index(isolated_environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(isolated_environment)
    assert main(["rebuild-index"]) == 0
    assert "Rebuilt the search index: 3 passages" in capsys.readouterr().out


def test_commands_are_refused_while_the_app_holds_the_data(
    isolated_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordStore(isolated_environment):
        assert main(["rebuild-index"]) == 2
    assert "Another Debrief is already using" in capsys.readouterr().err
