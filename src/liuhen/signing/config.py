"""Which sealer each agency uses, read from the TOML file at ``settings.LIUHEN_SIGNING_CONFIG``.

An empty setting (the default) means every agency seals with the installation CA. The file::

    trust_roots = "/etc/liuhen/extra-roots.pem"   # roots of external certificates, for verification

    [agency.longjiang-cg]
    kind = "pkcs12"
    file = "/etc/liuhen/longjiang-cg.p12"
    passphrase_env = "LONGJIANG_P12_PASSPHRASE"

Secrets never live in the file itself, only the names of environment variables holding them. A
mistake is reported as one line naming the agency and the key, so an operator can fix it at once.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from liuhen.core.errors import DomainError

DEFAULT_KIND = "local-ca"
TOP_LEVEL_KEYS = {"trust_roots", "agency"}


class SigningConfigError(DomainError):
    code = "signing_config"


@dataclass(frozen=True)
class AgencyEntry:
    """One agency's table from the file; ``options`` are checked by the sealer kind that reads them."""

    code: str
    kind: str
    options: dict[str, Any]

    def fail(self, key: str, reason: str) -> SigningConfigError:
        return SigningConfigError(f"签章配置错误：机关 {self.code} 的 {key}：{reason}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.options.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value:
            raise self.fail(key, "缺少或不是非空字符串")
        return value

    def secret(self, key: str, *, required: bool = True) -> str:
        """The value of the environment variable named by ``key``."""
        name = self.text(key, required=required)
        if not name:
            return ""
        value = os.environ.get(name)
        if value is None:
            raise self.fail(key, f"环境变量 {name} 未设置")
        return value

    def path(self, key: str) -> Path:
        found = Path(self.text(key))
        if not found.is_file():
            raise self.fail(key, f"文件 {found} 不存在")
        return found


@dataclass(frozen=True)
class SigningConfig:
    trust_roots: Path | None = None
    agencies: dict[str, AgencyEntry] = field(default_factory=dict)

    def entry(self, code: str) -> AgencyEntry:
        return self.agencies.get(code) or AgencyEntry(code, DEFAULT_KIND, {})


_cache: dict[str, tuple[tuple[int, int], SigningConfig]] = {}


def load_config() -> SigningConfig:
    """The parsed file, re-read only when it changes."""
    name = settings.LIUHEN_SIGNING_CONFIG
    if not name:
        return SigningConfig()
    try:
        found = os.stat(name)
    except OSError as exc:
        raise SigningConfigError(f"签章配置文件 {name} 无法读取：{exc.strerror}") from None
    version = (found.st_mtime_ns, found.st_size)
    cached = _cache.get(name)
    if cached is None or cached[0] != version:
        cached = (version, _parse(Path(name)))
        _cache[name] = cached
    return cached[1]


def _parse(path: Path) -> SigningConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SigningConfigError(f"签章配置文件 {path} 无法解析：{exc}") from None
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise SigningConfigError(f"签章配置文件 {path}：未知的键 {unknown[0]}")
    roots = data.get("trust_roots")
    if roots is not None and not (isinstance(roots, str) and Path(roots).is_file()):
        raise SigningConfigError(f"签章配置文件 {path}：trust_roots 应为存在的 PEM 文件路径")
    agencies = {}
    for code, table in (data.get("agency") or {}).items():
        if not isinstance(table, dict):
            raise SigningConfigError(f"签章配置错误：机关 {code} 应为一个表（[agency.{code}]）")
        options = dict(table)
        kind = options.pop("kind", DEFAULT_KIND)
        agencies[code] = AgencyEntry(code, kind, options)
    return SigningConfig(Path(roots) if roots else None, agencies)
