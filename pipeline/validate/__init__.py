"""Fields → problems: 形式审查 of returned forms by their form definition's rules and the
programme file, one file's problems and a batch's verdicts."""

from .batch import check_duplicates, finish, validate_files, verdict_for
from .problems import KINDS, SEVERITIES, STATUSES, Problem, Verdict
from .rules import check_entry

__all__ = ["KINDS", "SEVERITIES", "STATUSES", "Problem", "Verdict", "check_duplicates", "check_entry",
           "finish", "validate_files", "verdict_for"]
