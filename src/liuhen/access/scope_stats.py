"""The access layer's rules for statistics (which agencies' figures a user may see) (issue #14).

Part of :mod:`liuhen.access.scope` (imported at its end): every read of these objects starts here.
Register each model's queryset function in ``scope._BY_MODEL`` and each ledger object type in
``scope._ENTRY_MODELS`` so that ``restrict()`` and ``entries_visible()`` know them.
"""

from __future__ import annotations
