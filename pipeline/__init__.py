"""kexie: the document pipeline of a 科协 grant office.

Library first: ``pipeline.fill``, ``pipeline.render``, ``pipeline.records`` … do what the
``kexie`` commands do; the CLI in ``pipeline.cli`` is a thin layer over them.
"""

__version__ = "0.1.0"
