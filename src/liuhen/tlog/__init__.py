"""Tamper-evident log core (pure Python, standard library only; ``cryptography`` used when present).

Modules: ``merkle`` (RFC 9162 hashing, stored-hash tree, proofs), ``note`` (C2SP signed notes,
Ed25519, cosignatures), ``ed25519`` (pure-Python verify), ``checkpoint``, ``proof``
(c2sp.org/tlog-proof@v1), ``tiles`` (c2sp.org/tlog-tiles), ``bundle`` + ``verify`` (offline export
verifier), ``witness``. Nothing here imports Django, so the package can be copied next to an export
bundle and run with ``python -m liuhen.tlog.verify``.
"""
