"""Render a profile as a Markdown document an agency can file with its justice bureau (R7.4)."""

from __future__ import annotations

import json
from typing import Any

from liuhen.rules.codes import STAGES
from liuhen.rules.profile import Profile, Rule

KIND_TITLES = {
    "required_document": "应制作文书 / Required document",
    "required_field": "应载明事项 / Required fields",
    "required_signatures": "签名要求 / Signatures",
    "required_av": "音像记录 / Audio-video recording",
    "deadline": "期限 / Deadline",
    "retention": "保存期限 / Retention",
    "approval_chain": "内部审批 / Approval chain",
    "prohibition": "禁止行为 / Prohibition",
}
STAGE_TITLES = dict(
    zip(STAGES, ["程序启动", "调查取证", "审查决定", "送达执行", "结案", "归档管理"], strict=True)
)


def _plain(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _rule_block(rule: Rule) -> list[str]:
    lines = [
        f"#### `{rule.id}` — {rule.title_zh} / {rule.title_en}",
        "",
        f"- 依据 / Citation: **{rule.citation}** — 「{rule.quote}」",
        f"- 级别 / Severity: {'阻止流转 (error)' if rule.severity == 'error' else '提示 (warning)'}",
    ]
    if rule.guards:
        lines.append(f"- 把关环节 / Guards leaving: {STAGE_TITLES[rule.guards]} (`{rule.guards}`)")
    if rule.applies_to:
        lines.append(f"- 适用条件 / Applies to: `{_plain(rule.applies_to)}`")
    if rule.params:
        lines.append(f"- 参数 / Parameters: `{_plain(rule.params)}`")
    lines.append("")
    return lines


def render_profile(profile: Profile) -> str:
    """A readable, printable and diff-able rendering of every rule in ``profile``."""
    lines = [
        f"# {profile.name_zh} — 行政执法全过程记录规则",
        "",
        f"*{profile.name_en}* — profile `{profile.id}`"
        + (f", extends `{profile.extends}`" if profile.extends else ""),
        "",
        f"依据文件 / Regulation: {profile.seed}" if profile.seed else "",
        "",
    ]
    if profile.params:
        lines += ["## 机关参数 / Agency parameters", ""]
        lines += [f"- `{key}` = `{_plain(value)}`" for key, value in sorted(profile.params.items())]
        lines.append("")
    for kind, title in KIND_TITLES.items():
        rules = sorted((r for r in profile.rules if r.kind == kind), key=lambda r: (r.article, r.id))
        if not rules:
            continue
        lines += [f"## {title}", ""]
        for rule in rules:
            lines += _rule_block(rule)
    lines.append(f"共 {len(profile.rules)} 条规则 / {len(profile.rules)} rules in total.")
    return "\n".join(lines) + "\n"
