"""The one access layer: who may see or change what, masking of personal data, and logged reads.

Every read path (API, web, CLI, exports, the tile server) starts from :mod:`liuhen.access.scope`;
reads of A/V, confidential records and personal data are logged by the selectors that return them
(:mod:`liuhen.access.reads`); personal data is masked for roles without ``personal.view``
(:mod:`liuhen.access.masking`).
"""

from liuhen.access.reads import Read, log_reads
from liuhen.access.scope import entries_visible, restrict, visible_agency_ids

__all__ = ["Read", "entries_visible", "log_reads", "restrict", "visible_agency_ids"]
