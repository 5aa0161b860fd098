"""The access log (issue #13, R6, R7.3): who viewed, played, downloaded, copied, exported or released
which record, when, under which grant — read from the ledger's read entries through
:func:`liuhen.access.scope.access_log_entries`, with filters (:mod:`.selectors`), anomaly flags from the
agency's profile (:mod:`.anomaly`) and CSV/XLSX exports (:mod:`.export`). No models of its own: the
ledger is the log."""
