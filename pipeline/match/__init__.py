"""Pages → fields: the form definition's labels found on the page layouts, values read from the
cells around them, seals and signatures judged from the page images."""

from .fields import is_this_form, read_fields
from .matcher import Found, Matcher
from .regions import Document, Line, Region

__all__ = ["Document", "Found", "Line", "Matcher", "Region", "is_this_form", "read_fields"]
