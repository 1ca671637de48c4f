"""The project ledger: what happened to each project of a programme through its year — 申报 →
形式审查 (补正) → 评审 → 公示 → 任务书 → 中期 → 结项 — and what follows from it (money paid, due
and withheld, extensions, units suspended from applying). ``kexie record`` and ``kexie status``.

Events read from kexie's own outputs (a 形式审查 report, results.xlsx, a packet manifest) are in
:mod:`pipeline.status.imports`, imported by the CLI only: validate reads this package too."""

from .ledger import COLUMNS, ledger
from .record import event_from_fields, record_events
from .rules import catalogue, rules_of
from .store import Event, load_events
from .suspended import suspension_problems
from .table import terminal, workbook

__all__ = ["COLUMNS", "Event", "catalogue", "event_from_fields", "ledger", "load_events", "record_events",
           "rules_of", "suspension_problems", "terminal", "workbook"]
