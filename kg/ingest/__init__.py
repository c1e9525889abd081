"""``kg ingest``: newsletters (text or PDF) -> facts with provenance.

Pipeline: read (bytes -> lines) -> clean (PDF artefacts) -> segment (sections and items)
-> extract (instruments, issuers, dates, relations, actions, cases, amounts)
-> resolve (mentions -> registry keys) -> write (data/documents/<doc-id>.yaml).
"""
