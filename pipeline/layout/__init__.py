"""Layout rules of 公文 that are computed, not drawn: where a title breaks into lines (GB/T 9704)."""
