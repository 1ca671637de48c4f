"""DOCX → PDF with LibreOffice: one headless process converts a whole batch.

Starting LibreOffice costs about a second; converting a simple document afterwards about
0.05 s (FIELD-NOTES). So a batch is handed to a single ``soffice --convert-to pdf`` process,
which reports each file on stdout as it goes; that drives the progress bar.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable

from .errors import ConversionError, ToolMissing
from .files import move_atomic
from .processes import die_with_parent, group_done, own_group, remove_folder, temporary_folder

FONTS_CONF = Path(__file__).resolve().parent / "data" / "fonts.conf"
#: seconds allowed for LibreOffice to start, and then per document
START_TIMEOUT = 120
PER_DOCUMENT_TIMEOUT = 20


def find_soffice() -> str:
    """Path of the LibreOffice binary, or a ToolMissing error telling how to install it."""
    for name in (os.environ.get("KEXIE_SOFFICE"), "soffice", "libreoffice"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise ToolMissing("LibreOffice", "生成 PDF 需要 LibreOffice，请先运行 bash scripts/setup.sh 安装")


def soffice_env() -> dict:
    """Environment for LibreOffice: our font substitutions for the 公文 fonts."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def convert_to_pdf(docx_files: Iterable[Path], out_dir: Path,
                   on_done: Callable[[Path], None] | None = None) -> dict[Path, Path | ConversionError]:
    """Convert .docx files to PDFs in ``out_dir`` (same stem) with one LibreOffice process.

    Returns, per input, the PDF written or the ConversionError that stopped it; one bad
    document does not stop the others. PDFs appear in ``out_dir`` only when complete.
    """
    docx_files = [Path(p) for p in docx_files]
    if not docx_files:
        return {}
    soffice = find_soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[Path, Path | ConversionError] = {}
    work = temporary_folder("kexie-lo-")  # removed on every exit path (pipeline/processes.py)
    try:
        staging = work / "pdf"
        staging.mkdir()
        # A private profile: no clash with a desktop LibreOffice or a parallel kexie run.
        profile = (work / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--nologo", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(staging), *[str(p) for p in docx_files]]
        timeout = START_TIMEOUT + PER_DOCUMENT_TIMEOUT * len(docx_files)
        by_stem = {p.stem: p for p in docx_files}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=soffice_env(), text=True, errors="replace",
                                   preexec_fn=die_with_parent, start_new_session=True)
        own_group(process.pid)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            for line in process.stdout:
                # "convert /path/a.docx -> /staging/a.pdf using filter : writer_pdf_Export"
                if line.startswith("convert ") and " -> " in line:
                    target = Path(line.split(" -> ", 1)[1].split(" using filter", 1)[0].strip())
                    source = by_stem.get(target.stem)
                    if source is not None and on_done is not None:
                        on_done(source)
            stderr = process.stderr.read()
            process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:  # we are leaving early (a signal): LibreOffice goes too,
                os.killpg(process.pid, signal.SIGKILL)  # with the soffice.bin its launcher started
                process.wait()
            group_done(process.pid)
        timed_out = process.returncode is not None and process.returncode < 0
        for source in docx_files:
            produced = staging / f"{source.stem}.pdf"
            if produced.is_file() and produced.stat().st_size > 0:
                # out_dir is the caller's staging folder; the caller guards the real outputs
                results[source] = move_atomic(produced, out_dir / produced.name, guard=False)
            elif timed_out:
                results[source] = ConversionError(source, f"LibreOffice 超时（{timeout} 秒）未完成")
            else:
                detail = stderr.strip().splitlines()[-1] if stderr.strip() else "LibreOffice 未生成 PDF"
                results[source] = ConversionError(source, detail)
    finally:
        remove_folder(work)
    return results
