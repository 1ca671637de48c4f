"""Drawing modules of tools/make_returns.py: a corpus of returned 申报书 drawn independently
of the reader (seals, signatures, page classes as they arrive, attachments, assembly)."""
