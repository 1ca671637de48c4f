"""Small SQLite stores that let a rerun resume instead of starting over.

SQLite in WAL mode with one commit per finished item: a run killed with ``kill -9`` loses at
most the item in progress, and a rerun skips everything already recorded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_store(path, schema: str) -> sqlite3.Connection:
    """Open (creating if needed) a SQLite file with the given schema statements."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(schema)
    return db
