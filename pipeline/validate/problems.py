"""What 形式审查 finds: problems a clerk acts on, and each file's verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: the kinds of problem, as reports show them (pipeline.report)
KINDS = ("blank", "missing_seal", "missing_signature", "format", "rule", "duplicate", "review", "late")
#: error: the form must be fixed; warning: worth a look; review: the reader could not tell (需人工核对)
SEVERITIES = ("error", "warning", "review")
#: a file's outcome, in the order reports list them
STATUSES = ("review", "incomplete", "error", "complete")


@dataclass
class Problem:
    """One thing a clerk must act on."""

    field: str
    kind: str
    message: str
    severity: str = "error"
    page: int | None = None
    bbox: list[float] | None = None
    #: who confirmed the value the problem is about (kexie confirm), when a person did
    decided_by: str | None = None

    def as_dict(self) -> dict:
        out = asdict(self)
        if out["decided_by"] is None:
            del out["decided_by"]
        return out


@dataclass
class Verdict:
    """A file's outcome: complete; incomplete (an error-severity problem); review (the reader
    doubts something a person must look at, and nothing is certainly wrong); error (unreadable)."""

    file: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    error: dict | None = None
    sha256: str = ""
    fields: dict = field(default_factory=dict)
    #: a person's decisions applied to this file (pipeline.decisions), key → decision
    decisions: dict = field(default_factory=dict)
    #: the later file of the same applicant that replaces this one (pipeline.validate.history)
    superseded_by: str = ""

    def settle(self) -> None:
        """The status once every problem is known."""
        if self.status == "error":
            return
        if any(p.severity == "error" for p in self.problems):
            self.status = "incomplete"
        elif any(p.severity == "review" for p in self.problems):
            self.status = "review"
        else:
            self.status = "complete"

    def as_dict(self) -> dict:
        out = {"file": self.file, "status": self.status,
               "problems": [p.as_dict() for p in self.problems], "error": self.error,
               "sha256": self.sha256, "fields": self.fields}
        if self.decisions:
            out["decisions"] = self.decisions
        if self.superseded_by:
            out["superseded_by"] = self.superseded_by
        return out
