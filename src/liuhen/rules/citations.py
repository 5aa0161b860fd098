"""Citations as a person reads them: ``longjiang-cg§19`` → 《龙江县城市管理综合执法大队行政执法全过程记录制度》第19条.

Rules and forms cite articles as ``profile§article`` (stable, checkable data); users read the name of the
regulation the article is in — taken from the profile's seed, the regulation it was written from — and the
article number. Pure: reads the shipped profiles only.
"""

from __future__ import annotations

import re
from functools import cache

from liuhen.rules.profile import load_profile

_CITATION = re.compile(r"^(?P<profile>[a-z0-9-]+)§(?P<article>\d+)$")
_ASIDE = re.compile(r"（[^）]*）|\([^)]*\)")


@cache
def regulation_name(profile_id: str) -> str:
    """The regulation a profile was written from, without the editor's notes in brackets; the profile's
    Chinese name when it has no seed; the id itself only for an unknown profile."""
    try:
        profile = load_profile(profile_id)
    except (FileNotFoundError, ValueError):
        return profile_id
    name = _ASIDE.sub("", profile.seed).strip() or profile.name_zh
    return name or profile_id


def cite_zh(citation: str) -> str:
    """《regulation》第N条 for ``profile§N``; anything else as it is."""
    found = _CITATION.match(citation)
    if found is None:
        return citation
    return f"《{regulation_name(found['profile'])}》第{found['article']}条"


def citations_for(citations: tuple[str, ...] | list[str], profile_id: str) -> list[str]:
    """Of a form's citations, those of the agency's own regulation, in Chinese (a longjiang case cites
    longjiang's articles, not dalian's)."""
    own = [c for c in citations if c.split("§", 1)[0] == profile_id]
    return [cite_zh(c) for c in own]
