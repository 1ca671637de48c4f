"""Problems → reports: what staff and applicants read — Excel, one self-contained HTML page,
JSON, the terminal — one writer per format."""
