"""Issued documents (issue #10): every 文书 rendered to a sealed PDF/A, stored content-addressed, with
a ledger entry for each version the first time it is issued. See docs/documents.md."""
