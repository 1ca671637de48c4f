"""Review packets: one PDF and one score sheet per expert, with the assignment and a manifest.

The workflow, as staff do it:

1. ``load_experts``: the experts file (姓名, 单位, 组别, optional 回避单位).
2. ``load_submissions``: the submissions, from a validation report (only the complete ones unless
   asked) or from PDFs read with ``pipeline.extract``; numbered S01, S02 … by file name.
3. ``prepare``: each submission's PDF opened once (for ``blind``: a redacted picture copy made
   once, :mod:`pipeline.packet.redact`), reused for every expert.
4. ``assign``: each submission to one 组 (its own 组别 if it names one, else the group with the
   fewest pages so far, in file-name order), and to every expert of that group except those with
   a conflict of interest (their 单位 or 回避单位 is one of the submission's units, as its form's
   ``identity.conflicts`` names them).
5. ``write_packets``: per expert ``评审包/<组别>-<姓名>.pdf`` and ``评审包/<组别>-<姓名>.xlsx``, then
   ``办公室/assignment.xlsx`` and ``办公室/manifest.json`` (the office's files, beside the packets);
   the run (its id is on every score sheet) is recorded in the manifest and the workspace, for
   ``kexie scores`` to check the sheets against.

``make_packets`` runs the five steps. Every output is written under a temporary name and renamed,
so a failed run never leaves half a file and never damages an earlier run's outputs.
"""

from __future__ import annotations

import datetime as _dt

from ..forms import FormDefinition
from .assign import Decision, Plan, assign, conflict
from .experts import Expert, load_experts
from .submissions import Submission, load_submissions, prepare
from .write import OFFICE_DIR, PACKETS_DIR, PacketResult, criteria_of, write_packets

__all__ = ["OFFICE_DIR", "PACKETS_DIR", "Decision", "Expert", "PacketResult", "Plan", "Submission", "assign", "conflict", "criteria_of",
           "load_experts", "load_submissions", "make_packets", "prepare", "write_packets"]


def make_packets(inputs, experts_path, out_dir, form: FormDefinition, *, program: dict | None = None,
                 program_path=None, blind: bool = False, include_incomplete: bool = False,
                 today: _dt.date | None = None, workers: int = 1, progress=None, workspace=None) -> PacketResult:
    """The whole command: experts, submissions, preparation, assignment, packets, manifest."""
    experts = load_experts(experts_path)  # a bad experts file stops the run before any work
    submissions = load_submissions(inputs, form, include_incomplete=include_incomplete, workers=workers)
    prepare(submissions, blind=blind, workers=workers)
    plan = assign(submissions, experts)
    return write_packets(plan, submissions, out_dir, program=program or {}, blind=blind,
                         today=today or _dt.date.today(), inputs={"experts": experts_path,
                                                                   "program": program_path},
                         progress=progress, workspace=workspace)
