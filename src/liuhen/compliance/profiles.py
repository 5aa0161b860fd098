"""An agency's rule profile, loaded once per process.

Apart from :mod:`liuhen.compliance.services` so that a reader (the A/V upload deadline in
:mod:`liuhen.evidence.selectors`) can ask for the profile without importing the engine, which itself
reads evidence."""

from __future__ import annotations

from functools import lru_cache

from liuhen.accounts.models import Agency
from liuhen.core.errors import Conflict
from liuhen.rules import Profile, ProfileInvalid, load_profile


@lru_cache(maxsize=32)
def _profile(profile_id: str) -> Profile:
    return load_profile(profile_id)


def agency_profile(agency: Agency) -> Profile | None:
    """The agency's rule profile; ``None`` when it has none. An unknown or broken profile is a
    configuration error and is reported as such (409), never silently skipped at a gate."""
    if not agency.profile_id:
        return None
    try:
        return _profile(agency.profile_id)
    except FileNotFoundError as exc:
        raise Conflict(f"机关「{agency.name}」配置的规则文件 {agency.profile_id} 不存在") from exc
    except ProfileInvalid as exc:
        raise Conflict(f"机关「{agency.name}」的规则文件 {agency.profile_id} 有误：{exc}") from exc
