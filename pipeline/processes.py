"""Child processes and temporary folders that never outlive kexie.

Killing only the main process (``kill -9``, a closed terminal) once left pool workers running
and ``kexie-lo-*`` folders behind (issue 15). Workers and LibreOffice ask the kernel to kill them
when their parent dies (Linux ``PR_SET_PDEATHSIG``); temporary folders carry their owner's pid,
are removed on every exit Python sees (atexit, SIGTERM, SIGHUP), and a folder whose owner is gone
(the one exit nobody sees: ``kill -9``) is swept by the next run.

SIGTERM and SIGHUP are not turned into an exception: Python runs a handler between any two
bytecodes, also inside a fork hook or a finaliser, where an exception is printed and swallowed —
the run went on and exited 0, or hung on the logging lock the hook never released. The handler
kills what we started, removes our temporary folders and half-written files, and ends the process.
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
    """Remove the folder after killing whatever still works in it (a signal can arrive while
    LibreOffice is being started, before its process group is known), again for a moment if a
    process we just killed still writes into it."""
    for _round in range(20):  # a launcher killed while it was starting soffice.bin: look again
        if not kill_users(path):
            break
        time.sleep(0.05)
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


_groups: set[int] = set()


def own_group(pid: int) -> None:
    """Note a child started in its own process group (LibreOffice), killed whole if a signal
    ends the run before :func:`group_done`."""
    _groups.add(pid)


def group_done(pid: int) -> None:
    _groups.discard(pid)


def kill_users(folder) -> int:
    """Kill the processes left working in ``folder`` by an owner that died (LibreOffice's
    soffice.bin is started by its launcher and does not die with kexie; its command line names
    the private profile inside the folder, which is how it is told from any other process)."""
    needle = os.fsencode(str(folder))
    killed = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError):
            continue  # gone meanwhile, not ours to kill, or no /proc here
    return killed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_files: set[str] = set()


def partial_file(path) -> None:
    """Note a half-written temporary file, removed if a signal ends the run before
    :func:`done_with_file`."""
    _files.add(str(path))


def done_with_file(path) -> None:
    _files.discard(str(path))


@atexit.register
def _remove_all() -> None:
    for path in list(_folders):
        remove_folder(path)


def _stop(signum, _frame) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second signal does not interrupt the clean-up
    for group in list(_groups):
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            pass
    _remove_all()
    for path in list(_files):
        try:
            os.unlink(path)
        except OSError:
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, RuntimeError):  # closed, or the signal came mid-write
            pass
    os._exit(128 + signum)  # as a shell reports it; pool workers and LibreOffice die with us


def exit_on_signals() -> None:
    """End the run on SIGTERM and SIGHUP without leaving folders, half files or processes behind
    (exit status 128 + signal). Main thread only."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
