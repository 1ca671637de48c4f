"""A person's decision wins: ``kexie confirm`` on what the reader could not tell (a seal on a page
without colour, a date half under a seal), then ``kexie validate`` reports the form by the decision
and shows it as 人工确认; the same file changed (new bytes) starts without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROGRAM

from pipeline.cli import main

pytestmark = pytest.mark.slow


def kexie(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kexie", catch_exceptions=False)


def validate(path, db, report):
    result = kexie("validate", path, "--program", PROGRAM, "--db", db, "--report", report)
    assert result.exit_code in (0, 1), result.output
    return json.loads(Path(report).read_text(encoding="utf-8"))["files"][0]


def answer(problem: dict, truth: dict):
    """What a person holding the paper form would write for a review problem."""
    key = problem["field"]
    if key.endswith(("公章", "签章")):
        mark = truth["marks"][key]  # present None: the scan lost the colour, the paper has the seal
        return "有" if mark["present"] or (mark["present"] is None and mark["kind"]) else "无"
    return truth["fields"][key]


@pytest.fixture(scope="module")
def reviewed(read_returns, returns_corpus, tmp_path_factory):
    """A form the reader sent for review, with its truth, and a copy of the workspace it was read in."""
    validation, truths = read_returns[1], returns_corpus[2]
    entry = next(f for f in validation["files"] if f["status"] == "review")
    work = tmp_path_factory.mktemp("confirm")
    db = work / "kexie.sqlite"
    shutil.copy(read_returns[3], db)
    return Path(entry["file"]), entry, truths[Path(entry["file"]).name], db, work


def test_confirm_decides_what_the_reader_could_not(reviewed):
    path, entry, truth, db, work = reviewed
    doubts = [p for p in entry["problems"] if p["kind"] == "review"]
    assert doubts and all(p["message"].startswith("需人工核对") for p in doubts)
    assignments = [f"{p['field']}={answer(p, truth)}" for p in doubts]
    result = kexie("confirm", path, *assignments, "--by", "张敏", "--note", "已见原件", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.count("已记录") == len(doubts) and "确认人：张敏" in result.output

    after = validate(path, db, work / "after.json")
    assert not [p for p in after["problems"] if p["kind"] == "review"], after["problems"]
    assert after["status"] == ("complete" if truth["scenario"] == "complete" else "incomplete"), after["problems"]
    assert set(after["decisions"]) == {p["field"] for p in doubts}
    assert all(d["by"] == "张敏" and d["note"] == "已见原件" for d in after["decisions"].values())
    # what the reader had said is kept beside the decision
    marks = [p["field"] for p in doubts if p["field"].endswith("公章")]
    for key in marks:
        assert after["decisions"][key]["reader"]["present"] is None
        assert after["fields"][key] is (answer({"field": key}, truth) == "有")

    html = work / "after.html"
    kexie("validate", path, "--program", PROGRAM, "--db", db, "--report", html)
    assert "人工确认" in html.read_text(encoding="utf-8")
    table = kexie("validate", path, "--program", PROGRAM, "--db", db)
    assert "人工确认：" in table.output


def test_a_changed_file_starts_without_the_decision(reviewed):
    path, entry, truth, db, work = reviewed
    changed = work / "resubmitted" / path.name
    changed.parent.mkdir()
    changed.write_bytes(path.read_bytes() + b"\n%resubmitted\n")  # still a PDF, other bytes
    again = validate(changed, db, work / "changed.json")
    assert again["status"] == "review"
    assert not again.get("decisions")


def test_confirm_refuses_what_is_not_the_forms(reviewed):
    path, _, _, db, _ = reviewed
    result = kexie("confirm", path, "申报单位意见.公张=有", "--by", "张敏", "--db", db)
    assert result.exit_code == 2 and "没有字段" in result.output and "申报单位意见.公章" in result.output
    result = kexie("confirm", path, "申报单位意见.公章=也许", "--by", "张敏", "--db", db)
    assert result.exit_code == 2 and "应写「有」或「无」" in result.output
