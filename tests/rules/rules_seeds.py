"""Access to the five regulation texts (seeds) for tests; normalised for quote matching."""

from __future__ import annotations

import re
from pathlib import Path

SEED_FILES = {
    "dalian-cg": "000_2ac90c2d08cca6b0.txt",
    "gaochang-sthj": "001_4fd6fddfbbebbad6.txt",
    "longjiang-cg": "002_1af24f72a2477557.txt",
    "xinglongtai-mz": "003_7f71a87caf8e6084.txt",
    "xinle-fg": "004_45563121f8e1c296.txt",
}
ARTICLE_COUNTS = {
    "dalian-cg": 30,
    "gaochang-sthj": 35,
    "longjiang-cg": 25,
    "xinglongtai-mz": 29,
    "xinle-fg": 35,
}


def seeds_dir() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def normalise(text: str) -> str:
    """Drop whitespace, the scraped page markers ("\n3、") of the longjiang .docx text, and unify
    the ASCII/full-width punctuation the seeds mix freely."""
    text = re.sub(r"\n\d+、", "", text)
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}))


def seed_text(profile_id: str) -> str | None:
    directory = seeds_dir()
    if directory is None:
        return None
    return (directory / SEED_FILES[profile_id]).read_text(encoding="utf-8")
