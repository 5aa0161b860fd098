"""docs/rule-coverage.md covers every article of every seed and names only real rules."""

from __future__ import annotations

import re
from pathlib import Path

from rules_factories import ALL_PROFILES, profile
from rules_seeds import ARTICLE_COUNTS, normalise, seed_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "rule-coverage.md"
ROW = re.compile(
    r"^\|\s*(?P<profile>[a-z-]+)§(?P<article>\d+)\s*\|(?P<status>[^|]*)\|(?P<rules>[^|]*)\|(?P<note>.*)\|\s*$"
)
STATUSES = {
    "checked",
    "enforced by design",
    "procedural",
    "enforced by design + checked",
    "procedural + checked",
}


def rows() -> list[re.Match[str]]:
    return [m for line in DOC.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))]


def test_every_article_of_every_seed_is_listed_once_with_a_status_and_reason():
    """GIVEN the coverage doc THEN each seed article 1..N appears exactly once with a known status and a note."""
    seen: dict[str, list[int]] = {p: [] for p in ALL_PROFILES}
    for row in rows():
        seen[row["profile"]].append(int(row["article"]))
        assert row["status"].strip() in STATUSES, row.group(0)
        assert row["note"].strip(), row.group(0)
    for profile_id in ALL_PROFILES:
        assert sorted(seen[profile_id]) == list(range(1, ARTICLE_COUNTS[profile_id] + 1)), profile_id


def test_article_counts_match_the_seed_texts():
    """GIVEN the seeds THEN the highest article number in each text is the count the doc covers."""
    numbers = "一二三四五六七八九十"
    for profile_id, expected in ARTICLE_COUNTS.items():
        text = seed_text(profile_id)
        if text is None:
            continue
        found = re.findall(rf"第([{numbers}]+)条", normalise(text))
        assert len(set(found)) == expected, profile_id


def test_every_rule_named_exists_and_every_rule_is_named():
    """GIVEN the doc rows THEN each backticked rule id exists in that profile, sits on its cited article,
    and every profile rule is named somewhere."""
    named: dict[str, set[str]] = {p: set() for p in ALL_PROFILES}
    for row in rows():
        profile_id, article = row["profile"], int(row["article"])
        rules = {r.id: r for r in profile(profile_id).rules}
        for rule_id in re.findall(r"`([a-z0-9-]+)`", row["rules"]):
            assert rule_id in rules, f"{profile_id}§{article}: unknown rule {rule_id}"
            assert rules[rule_id].article == article, f"{rule_id} cites {rules[rule_id].citation}"
            named[profile_id].add(rule_id)
        if row["status"].strip() == "checked":
            assert re.findall(r"`([a-z0-9-]+)`", row["rules"]), (
                f"{profile_id}§{article} checked without rules"
            )
    for profile_id in ALL_PROFILES:
        assert named[profile_id] == {r.id for r in profile(profile_id).rules}, profile_id
