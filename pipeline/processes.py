"""Child processes and temporary folders that never outlive kexie.

Killing only the main process (``kill -9``, a closed terminal) once left pool workers running
and ``kexie-lo-*`` folders behind (issue 15). Workers and LibreOffice ask the kernel to kill them
when their parent dies (Linux ``PR_SET_PDEATHSIG``); temporary folders carry their owner's pid,
are removed on every exit Python sees (atexit, SIGTERM, SIGHUP), and a folder whose owner is gone
(the one exit nobody sees: ``kill -9``) is swept by the next run.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_libc = None


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere a no-op)."""
    global _libc
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _start_worker(initializer, initargs) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if initializer is not None:
        initializer(*initargs)


def worker_pool(max_workers: int, initializer=None, initargs=()) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
    return ProcessPoolExecutor(max_workers=max_workers, initializer=_start_worker,
                               initargs=(initializer, initargs))


# --- temporary folders ------------------------------------------------------------------------

_folders: set[str] = set()


def temporary_folder(prefix: str) -> Path:
    """A new folder ``{prefix}{pid}-…`` in the temp dir, removed at exit; stale ones of dead
    owners are swept first. Remove it yourself with :func:`remove_folder` when done."""
    sweep(prefix)
    path = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")
    _folders.add(path)
    return Path(path)


def remove_folder(path) -> None:
    """Remove the folder, again for a moment if a process we just killed still writes into it."""
    for _attempt in range(30):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.exists(path):
            break
        time.sleep(0.1)
    _folders.discard(str(path))


def sweep(prefix: str) -> None:
    """Remove ``{prefix}{pid}-…`` folders whose process no longer exists."""
    root = Path(tempfile.gettempdir())
    for folder in root.glob(f"{prefix}*"):
        pid = folder.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            kill_users(folder)
            shutil.rmtree(folder, ignore_errors=True)


def kill_users(folder) -> None:
    """Kill the processes left working in ``folder`` by an owner that died (LibreOffice's
    soffice.bin is started by its launcher and does not die with kexie; its command line names
    the private profile inside the folder, which is how it is told from any other process)."""
    needle = os.fsencode(str(folder))
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue  # gone meanwhile, not ours to kill, or no /proc here


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@atexit.register
def _remove_all() -> None:
    for path in list(_folders):
        remove_folder(path)


def exit_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into an orderly exit, so ``finally`` blocks and atexit run
    (exit status 128 + signal, as a shell reports it). Main thread only."""

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
