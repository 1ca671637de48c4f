"""形式审查 on a generated corpus: every expected problem found and nothing else flagged.

tools/make_corpus.py writes, beside each returned form, the problems it must draw
(``expected_problems``: field, kind, severity) and its ``expected_status``, by construction: from
the values it generated and the violations it injected on purpose (SCENARIOS), never by running
the validator. Here ``kexie validate`` runs on the session's corpus (conftest) through Click, and
its JSON report is compared file by file: every problem of a text-layer form, and the status of
every form (the reader's accuracy on scans is tests/test_accuracy.py's business).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PROGRAM, ROOT

sys.path.insert(0, str(ROOT / "tools"))

import make_corpus  # noqa: E402

pytestmark = pytest.mark.slow

KINDS = ("blank", "missing_seal", "missing_signature", "format", "rule", "duplicate")


def validate(*args):
    """Run ``kexie validate`` in-process; (Click result, seconds)."""
    from pipeline.cli import main

    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", *[str(a) for a in args]], catch_exceptions=False)
    return result, time.monotonic() - started


@pytest.fixture(scope="session")
def first_run(validated_corpus):
    """The session's one validation of the corpus (conftest), as this module's tests take it."""
    v = validated_corpus
    return v.result, v.seconds, v.report, v.db, v.work


def problem_set(problems) -> Counter:
    """(field, kind, severity) with their counts: a period both too long and outside the
    programme's 试点期间 draws two rule problems of 试点起止日期."""
    return Counter((p["field"], p["kind"], p["severity"]) for p in problems)


def by_name(report) -> dict:
    return {Path(f["file"]).name: f for f in report["files"]}


def test_the_corpus_covers_every_rule(corpus):
    """A guard on the generator: each kind of problem is expected somewhere, several forms
    are complete, and the provincial pilot with its 试点单位意见 box empty is one of them."""
    out, truths, _ = corpus
    expected = [p for t in truths.values() for p in t["expected_problems"]]
    assert {p["kind"] for p in expected} == set(KINDS)
    assert ("文件名", "rule", "warning") in {(p["field"], p["kind"], p["severity"]) for p in expected}
    assert sum(t["expected_status"] == "complete" for t in truths.values()) >= 3
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    scenarios = {e.get("scenario"): e for e in manifest["files"] if e.get("scenario")}
    assert set(make_corpus.SCENARIOS) | {"wrong_box"} == set(scenarios)
    provincial = truths[scenarios["provincial"]["file"]]
    assert provincial["fields"]["试点单位意见"] == "" and provincial["expected_status"] == "complete"
    # every scenario is on a text-layer form: its problems are compared exactly
    assert all(truths[e["file"]]["scan"] is None for e in scenarios.values())


def test_every_expected_problem_found_and_nothing_else(corpus, first_run):
    out, truths, _ = corpus
    _, _, report, _, _ = first_run
    files = by_name(report)
    assert set(files) == set(truths)
    rows = []
    for name in sorted(truths):
        truth, verdict = truths[name], files[name]
        expected, got = problem_set(truth["expected_problems"]), problem_set(verdict["problems"])
        if truth["scan"] is None:
            rows += [(name, *key, "expected, not reported") for key in sorted((expected - got).elements())]
            rows += [(name, *key, "reported, not expected") for key in sorted((got - expected).elements())]
        if verdict["status"] != truth["expected_status"]:
            rows.append((name, "(status)", truth["expected_status"], "", f"reported {verdict['status']}"))
    if rows:
        width = max(len(r[1]) for r in rows)
        table = "\n".join(f"{r[0]:<28} {r[1]:<{width}} {r[2]:<17} {r[3]:<8} {r[4]}" for r in rows)
        pytest.fail(f"形式审查 differs from the corpus's expectations:\n{table}")


def test_exit_code_is_1_when_some_are_incomplete(first_run):
    result, _, report, _, _ = first_run
    assert report["summary"]["incomplete"] > 0 and report["summary"]["error"] > 0
    assert result.exit_code == 1


def test_report_json_shape(corpus, first_run):
    _, truths, _ = corpus
    _, _, report, _, _ = first_run
    assert {"files", "summary"} <= set(report)
    assert set(report["summary"]) == {"complete", "incomplete", "review", "error"}
    assert sum(report["summary"].values()) == len(report["files"]) == len(truths)
    for entry in report["files"]:
        assert {"file", "status", "problems", "error"} <= set(entry)
        assert entry["status"] in ("complete", "incomplete", "error")
        assert (entry["error"] is not None) == (entry["status"] == "error")
        for problem in entry["problems"]:
            assert {"field", "kind", "severity", "message", "page"} <= set(problem)
            assert problem["kind"] in KINDS
            assert problem["severity"] in ("error", "warning") and problem["message"]


def test_rerun_with_the_same_db_is_fast_and_the_same(corpus, first_run):
    out, _, _ = corpus
    result, seconds, report, db, work = first_run
    again = work / "again.json"
    second, rerun_seconds = validate(out, "--program", PROGRAM, "--report", again, "--db", db, "--jobs", 2)
    assert second.exit_code == result.exit_code
    assert json.loads(again.read_text(encoding="utf-8")) == report
    assert rerun_seconds < max(3.0, seconds / 3), (rerun_seconds, seconds)
