"""Issue 15 part 6: bounded work. Every hostile input here is made by the test itself.

Runaway inputs are run in a subprocess under a memory limit and a timeout, so that a regression
fails the test (MemoryError, TimeoutExpired) instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import ROOT, make_template

#: the address space a hostile run may use: far below the 3–7 GB the attacks once reached
MEMORY_LIMIT = 2 << 30


def kexie(tmp_path, *args, timeout=40, env=None):
    """``python -m pipeline ARGS`` in tmp_path under MEMORY_LIMIT; (exit code, stdout+stderr, seconds)."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    environment = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                       KEXIE_LOG=str(tmp_path / "kexie.log"), **(env or {}))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


BILLION_LAUGHS = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    data = tmp_path / "bomb.yaml"
    data.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(data.read_bytes()) < 447
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    code, output, seconds = kexie(tmp_path, "fill", template, "--data", data, "--out", tmp_path / "out")
    assert code == 2, output
    assert "bomb.yaml" in output and "别名" in output and "Traceback" not in output
    assert seconds < 10


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "x: &x {k: *x}\n"])
def test_a_self_referencing_yaml_is_a_message(run, tmp_path, text):
    data = tmp_path / "self.yaml"
    data.write_text(text, encoding="utf-8")
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    result = run("fill", template, "--data", data, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "self.yaml" in result.stderr and "引用了它自身" in result.stderr


@pytest.mark.parametrize("tag, reason", [
    ("{{ 9**(9**10) }}", "乘方"),
    ("{{ 'a'*10**9 }}", "重复"),
    ("{{ [1]*10**9 }}", "重复"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "秒"),
    ("{% for i in range(100000) %}{{ 'x' * 4000000 }}{% endfor %}", "字符"),
    # a string doubled in a loop: no operator check sees 「~」, the memory budget does
    ("{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
     "{{ ns.s|length }}", "内存"),
])
def test_a_template_past_its_budget_fails_its_record_and_the_others_are_written(tmp_path, tag, reason):
    template = make_template(tmp_path / "t.docx", ["{{ 单位 }}", "{% if 坏 %}" + tag + "{% endif %}"])
    data = tmp_path / "data.yaml"
    data.write_text(yaml.safe_dump([{"单位": "甲", "坏": False}, {"单位": "乙", "坏": True}],
                                   allow_unicode=True), encoding="utf-8")
    code, output, seconds = kexie(tmp_path, "fill", template, "--data", data, "--out", tmp_path / "out",
                                  "--name", "{单位}", env={"KEXIE_RENDER_SECONDS": "3", "KEXIE_RENDER_MEMORY": str(256 << 20)})
    assert code == 1, output
    assert "乙" in output and "超出限制" in output and reason in output and "Traceback" not in output
    assert (tmp_path / "out" / "甲.docx").is_file() and not (tmp_path / "out" / "乙.docx").exists()
    assert seconds < 20


def test_macro_recursion_is_a_message(run, tmp_path):
    template = make_template(tmp_path / "t.docx", ["{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}"])
    data = tmp_path / "data.yaml"
    data.write_text("单位: 甲\n", encoding="utf-8")
    result = run("fill", template, "--data", data, "--out", tmp_path / "out", "--name", "{单位}")
    assert result.exit_code == 1, result.output
    assert "宏" in result.stderr and "Traceback" not in result.output


def test_a_huge_page_is_refused_before_it_is_drawn(tmp_path):
    """An 839-byte PDF with a 14400 pt page once rendered at 4.6 GB: the one renderer refuses it."""
    import pikepdf

    path = tmp_path / "巨幅.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(14400, 14400))
        pdf.save(path)
    assert path.stat().st_size < 1024
    script = ("import sys\nfrom pipeline.errors import UnreadableDocument\nfrom pipeline.read.pdf import render_pages\n"
              "try:\n    list(render_pages(sys.argv[1], 300))\nexcept UnreadableDocument as exc:\n"
              "    print(exc.message)\n    sys.exit(1)\n")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=40,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), preexec_fn=limit)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "巨幅.pdf" in done.stdout and "第 1 页" in done.stdout and "过大" in done.stdout



def test_a_huge_scanned_page_is_a_message_through_extract_and_the_batch_goes_on(tmp_path):
    """A 14400 pt page holding a picture goes down the scan path, where it is drawn: through the
    real ``kexie extract``, under a memory limit, it is that file's message and the next file is read."""
    import pikepdf

    path = tmp_path / "巨幅扫描.pdf"
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(14400, 14400))
        image = pikepdf.Stream(pdf, bytes([128]) * 12)
        image.Type, image.Subtype, image.Width, image.Height = pikepdf.Name.XObject, pikepdf.Name.Image, 2, 2
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 14400 0 0 14400 0 0 cm /Im0 Do Q")
        pdf.save(path)
    other = tmp_path / "普通.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(other)
    assert path.stat().st_size < 2048
    out = tmp_path / "读取.json"
    code, output, seconds = kexie(tmp_path, "extract", path, other, "--out", out, "--jobs", "1", timeout=120)
    assert code == 1 and "Traceback" not in output, output
    assert "巨幅扫描.pdf" in output and "过大" in output, output
    entries = json.loads(out.read_text(encoding="utf-8"))
    files = {Path(e["file"]).name: e for e in (entries if isinstance(entries, list) else entries["files"])}
    assert set(files) == {"巨幅扫描.pdf", "普通.pdf"}
    assert "过大" in json.dumps(files["巨幅扫描.pdf"], ensure_ascii=False)

# --- issue 15 part 7: a message with the right exit code, never a traceback; good records kept ---


def test_a_lone_surrogate_fails_its_record_and_the_good_records_are_written(tmp_path):
    data = tmp_path / "data.json"
    data.write_text('[{"单位": "甲"}, {"单位": "\\ud800乙"}, {"单位": "丙"}]', encoding="utf-8")
    template = make_template(tmp_path / "t.docx", ["{{ 单位 }}"])
    code, output, _seconds = kexie(tmp_path, "fill", template, "--data", data, "--out", tmp_path / "out",
                                   "--name", "{单位}")
    assert code == 1, output
    assert "第2条" in output and "U+D800" in output and "Traceback" not in output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["丙.docx", "甲.docx"]


def test_a_pdf_with_nul_bytes_after_eof_is_accepted(run, tmp_path):
    import pikepdf

    path = tmp_path / "补齐.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    path.write_bytes(path.read_bytes() + b"\x00" * 4096)
    from pipeline.read.pdf import check_file, render_pages

    check_file(path)  # not 「文件不完整」
    assert [number for number, _image in render_pages(path, 36)] == [1]
    result = run("extract", path)
    assert "不完整" not in result.stderr, result.stderr


def test_a_read_only_out_is_a_message(run, tmp_path):
    import pikepdf

    path = tmp_path / "X.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        # root may write anywhere but in sysfs, which refuses new files to everyone
        folder = locked if not os.access(locked, os.W_OK) else Path("/sys")
        result = run("extract", path, "--out", folder / "结果.json")
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2, result.output
    assert "结果.json" in result.stderr and "权限" in result.stderr and "Traceback" not in result.output


def test_a_full_disk_is_a_message(run, tmp_path, monkeypatch):
    import errno

    import pikepdf

    path = tmp_path / "X.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)

    def full(_fd):  # the disk fills while the output is flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("extract", path, "--out", tmp_path / "结果.json")
    assert result.exit_code == 2, result.output
    assert "结果.json" in result.stderr and "磁盘空间已满" in result.stderr
    assert not list(tmp_path.glob(".tmp-*"))


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(p) for p in task.read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _start_fill(tmp_path, template, records: int, *extra):
    data = tmp_path / "data.yaml"
    data.write_text(yaml.safe_dump([{"单位": f"单位{i:02d}"} for i in range(records)], allow_unicode=True),
                    encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path), KEXIE_LOG=str(tmp_path / "kexie.log"))
    return subprocess.Popen([sys.executable, "-m", "pipeline", "fill", str(template), "--data", str(data),
                             "--out", str(tmp_path / "out"), "--name", "{单位}", *extra], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_pool_workers_die_with_their_parent(tmp_path):
    slow = "{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}{{ 单位 }}"
    template = make_template(tmp_path / "t.docx", [slow])
    process = _start_fill(tmp_path, template, 20)
    try:
        assert _wait_for(lambda: len(_children(process.pid)) >= 2), "no pool started"
        workers = _children(process.pid)
        time.sleep(1.0)  # the workers are busy rendering
    finally:
        process.kill()  # kill -9: no handler of ours runs
        process.wait()
    assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 10), "workers outlived their parent"


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_folders_and_process_go_on_sigterm_and_after_kill(tmp_path):
    import signal

    template = make_template(tmp_path / "t.docx", ["{{ 单位 }}"])
    folders = lambda: list(tmp_path.glob("kexie-lo-*"))  # noqa: E731
    process = _start_fill(tmp_path, template, 20, "--pdf")
    assert _wait_for(lambda: folders() and _children(process.pid)), "LibreOffice did not start"
    soffice = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) != 0
    assert not folders(), "kexie-lo-* left behind after SIGTERM"
    assert _wait_for(lambda: not any(_alive(pid) for pid in soffice), 10)
    # kill -9 leaves the folder (nothing runs), LibreOffice dies with kexie, the next run sweeps it
    process = _start_fill(tmp_path, template, 20, "--pdf")
    assert _wait_for(lambda: folders() and _children(process.pid))
    soffice = _children(process.pid)
    process.kill()
    process.wait()
    assert _wait_for(lambda: not any(_alive(pid) for pid in soffice), 10), "LibreOffice outlived kexie"
    left = [f for f in folders()]
    working = _working_in(left[0]) if left else []  # soffice.bin: started by the launcher, it may live on
    from pipeline.processes import sweep

    os.environ["TMPDIR"], previous = str(tmp_path), os.environ.get("TMPDIR")
    try:
        import tempfile

        tempfile.tempdir = None
        sweep("kexie-lo-")
    finally:
        os.environ.pop("TMPDIR") if previous is None else os.environ.update(TMPDIR=previous)
        tempfile.tempdir = None
    assert not folders()
    assert _wait_for(lambda: not any(_alive(pid) for pid in working), 10), "soffice.bin outlived the sweep"
    assert not _working_in(left[0])


def _working_in(folder) -> list[int]:
    """Processes whose command line names ``folder``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if os.fsencode(str(folder)) in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _pad_zip(path, megabytes: int):
    """Add a member of zeros that unpacks to ``megabytes`` MB (a zip bomb of a few hundred KB)."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("customXml/pad.bin", "w") as member:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(block)


def test_zip_bombs_are_refused_before_opening(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ 单位 }}"])
    _pad_zip(template, 300)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["单位"])
    book.active.append(["甲"])
    book.save(roster)
    _pad_zip(roster, 300)
    assert template.stat().st_size < 1 << 20 and roster.stat().st_size < 1 << 20
    plain = make_template(tmp_path / "plain.docx", ["{{ 单位 }}"])
    code, output, seconds = kexie(tmp_path, "fill", plain, "--data", roster, "--out", tmp_path / "out")
    assert code == 2 and "名单.xlsx" in output and "解压后" in output, output
    data = tmp_path / "data.yaml"
    data.write_text("单位: 甲\n", encoding="utf-8")
    code, output, seconds = kexie(tmp_path, "fill", template, "--data", data, "--out", tmp_path / "out")
    assert code == 2 and "t.docx" in output and "解压后" in output, output


def test_a_roster_with_a_stray_cell_at_xfd1048576_reads_its_rows(tmp_path):
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["单位"])
    sheet.append(["甲"])
    sheet.append(["乙"])
    sheet["XFD1048576"] = " "
    book.save(roster)
    template = make_template(tmp_path / "t.docx", ["{{ 单位 }}"])
    code, output, seconds = kexie(tmp_path, "fill", template, "--data", roster, "--out", tmp_path / "out",
                                  "--name", "{单位}")
    assert code == 0, output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["乙.docx", "甲.docx"]
    assert seconds < 20


def test_sigterm_that_lands_in_a_finaliser_still_ends_the_run(tmp_path):
    """Python swallows an exception raised inside a finaliser or a fork hook: a SIGTERM turned
    into SystemExit there let the run go on and exit 0 (or hang on the logging lock)."""
    script = tmp_path / "finaliser.py"
    script.write_text(
        "import os, signal, sys\n"
        "from pipeline.processes import exit_on_signals, temporary_folder\n"
        "exit_on_signals()\n"
        "folder = temporary_folder('kexie-lo-')\n"
        "class Finalised:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        total = sum(range(1000))  # the handler runs here, inside __del__\n"
        "Finalised()\n"
        "print('went on')\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 143, done.stderr
    assert "went on" not in done.stdout
    assert not list(tmp_path.glob("kexie-lo-*"))
