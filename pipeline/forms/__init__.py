"""Form definitions: which fields a returned form holds and how each is found, who it is about,
what a blind copy hides, and its 形式审查 rules — one declarative YAML file per form beside this
module (``申报书.yaml``, ``中期报告.yaml``). Adding a form means adding a file."""

from .definition import Blind, FieldSpec, FormDefinition, Identity, flat_items, key_matches, text_value
from .load import FORM_DIR, available_forms, load_form, parse_form

__all__ = ["FORM_DIR", "Blind", "FieldSpec", "FormDefinition", "Identity", "available_forms", "flat_items",
           "key_matches", "load_form", "parse_form", "text_value"]
