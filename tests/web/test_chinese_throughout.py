"""Chinese throughout: no page shows an internal code, a field name, a rule id or a UTC time (issue #11).

Every demo role of one agency walks the pages it has in a real Chromium on the demo data; the visible text
of each page (not attributes or scripts, nor data marked translate="no" such as login names) is scanned for
what a user must never see. A finding names the page, the role and the offending text.
"""

from __future__ import annotations

import re

import pytest

from tests.live_server import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLES = ("officer", "legal", "head", "archivist", "custodian", "admin", "supervisor")
AGENCY = "longjiang"

# what a user must never read
LEAKS = {
    "code": re.compile(r"(?<![\w/.:-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w/.-])"),  # officer_count, filing_record
    "permission": re.compile(r"(?<![\w/.:-])[a-z]+\.[a-z_]+(?![\w/.-])"),  # document.create
    "rule id": re.compile(
        r"(?<![\w/.:-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?:§\d+)?(?![\w/.-])"
    ),  # longjiang-cg§19
    "record ref": re.compile(r"\b(?:document|case|media|signature):\d+\b"),  # document:79
    "empty choice": re.compile(r"-{5,}"),  # Django's "---------"
    "UTC time": re.compile(
        r"\bUTC\b|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\+00:00)\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"
    ),
}
# text that looks like a leak but is not one
ALLOWED = {"liuhen.local"}

VISIBLE_TEXT = """() => {
  const skip = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName)) return;
    if (node.getAttribute("translate") === "no") return;  // data shown as typed: a login name, a device number
    if (node.tagName === "SELECT") {
      for (const o of node.options) out.push(o.textContent);
      return;
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return out.join("\\n");
}"""


def leaks_in(text: str) -> list[str]:
    found = []
    for kind, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            if match.group(0) not in ALLOWED:
                found.append(f"{kind}: {match.group(0)!r}")
    return found


FORMS = ("inquiry_record", "service_receipt", "penalty_decision", "legal_review_opinion", "head_approval")


def _pages(page, server: str) -> list[str]:
    """The pages a role reaches: home, every nav page, the first cases, and for the first case its
    compliance page, new-document forms of several types and the amend page of its documents."""
    page.goto(f"{server}/")
    hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    cases = [h for h in hrefs if re.fullmatch(r"/cases/\d+/", h)][:3]
    nav = page.eval_on_selector_all("nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    paths = ["/", *[h for h in nav if not h.startswith("/api/")], *cases]
    for case in cases[:1]:
        paths += [f"{case}compliance/", *(f"{case}documents/new?doc_type={code}" for code in FORMS)]
        page.goto(f"{server}{case}")
        more = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
        paths += [h for h in more if re.fullmatch(r"/documents/\d+/amend", h)][:3]
    return list(dict.fromkeys(paths))


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_an_internal_code_or_a_utc_time(server, browser, role):
    """GIVEN a demo role of longjiang WHEN it opens its home page, every nav page, its first cases and their
    forms THEN no visible text is a code, a field or permission name, a record reference or a UTC time."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, f"{AGENCY}_{role}")
    problems = []
    for path in _pages(page, server):
        response = page.goto(f"{server}{path}")
        if response is None or response.status >= 400:
            continue  # a page the role may not open says so in Chinese (tested elsewhere)
        for leak in leaks_in(page.evaluate(VISIBLE_TEXT)):
            problems.append(f"{path}: {leak}")
    context.close()
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_scan_catches_what_it_is_for():
    """GIVEN texts with each kind of leak THEN each is found; plain Chinese with dates is not."""
    assert leaks_in("执法人员人数 officer_count") == ["code: 'officer_count'"]
    assert leaks_in("须有 document.create 权限") == ["permission: 'document.create'"]
    assert leaks_in("见 document:79") == ["record ref: 'document:79'"]
    assert leaks_in("---------") == ["empty choice: '---------'"]
    assert leaks_in("依据 longjiang-cg§19，规则 whole-operation-bodycam") == [
        "rule id: 'longjiang-cg§19'",
        "rule id: 'whole-operation-bodycam'",
    ]
    assert leaks_in("2026-11-30T11:42:00Z") and leaks_in("11:42 UTC")
    assert leaks_in("2026-11-30 19:42 龙城管罚〔2026〕3号 第 1 页") == []
