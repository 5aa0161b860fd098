"""Site-wide headers: a strict Content-Security-Policy that the pages keep to, no caching of anything
personal, and /api/docs served from the site itself (it must work on an offline network)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.ledger.checkpoints import checkpoint_issue
from tests.factories import make_case, make_document
from tests.ledger.helpers import append_n
from tests.live_server import log_in

SRC = Path(__file__).resolve().parents[2] / "src" / "liuhen"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))


class _Markup(HTMLParser):
    """Everything in a page that a strict CSP would block or that loads from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.style_blocks = 0
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in named and named.get("type") != "application/json"
        if tag == "style":
            self.style_blocks += 1
        for name, value in attrs:
            if name == "style":
                self.style_attributes.append(f"<{tag} style={value!r}>")
            if name.startswith("on") or name.startswith("hx-on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in ("src", "href", "action", "data", "poster") and value:
                self.urls.append(value)
            if value and value.strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])


def _markup(response) -> _Markup:
    parser = _Markup()
    parser.feed(response.content.decode())
    return parser


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def _no_store(response) -> bool:
    """``private, no-store`` (or Django's never_cache, which says both and more)."""
    return {"private", "no-store"} <= {d.strip() for d in response.get("Cache-Control", "").split(",")}


def _assert_strict_page(response) -> None:
    assert response.status_code == 200, response.status_code
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert set(csp["img-src"]) == {"'self'", "data:", "blob:"}
    assert set(csp["media-src"]) == {"'self'", "blob:"}
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert _no_store(response)
    page = _markup(response)
    assert page.inline_scripts == [] and page.style_blocks == 0
    assert page.style_attributes == [] and page.handlers == []


@pytest.mark.parametrize("template", TEMPLATES, ids=[str(t.relative_to(SRC)) for t in TEMPLATES])
def test_given_a_template_when_read_then_it_holds_nothing_the_csp_blocks(template):
    """GIVEN every template of the site WHEN read THEN no <style> block, style= attribute, inline script,
    on*= or hx-on handler, nor javascript: URL (the CSP allows only same-origin files)."""
    text = template.read_text()
    assert not re.search(r"<style\b", text)
    assert not re.search(r"\sstyle\s*=", text)
    assert not re.search(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", text)
    assert not re.search(r"javascript:", text, re.IGNORECASE)
    for script in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in script, script


@pytest.mark.django_db
def test_given_an_officer_when_opening_each_page_then_strict_csp_no_store_and_no_inline_code(
    client_in, officer
):
    """GIVEN an officer with a case that holds a document WHEN the case list, the case page, the document
    form fragment (htmx), the new-case form, the upload page, the unassigned-media page and the compliance
    pages are opened THEN each carries the strict CSP and no-store, and none has inline script or style."""
    case = make_case(officer)
    document = make_document(case, officer)
    pages = [
        "/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/documents/form?doc_type=inquiry_record",
        f"/cases/{case.pk}/documents/new",
        f"/documents/{document.pk}/amend",
        "/cases/new/",
        f"/evidence/upload/?case={case.pk}",
        "/media/unassigned/",
        "/compliance/",
        f"/cases/{case.pk}/compliance/",
    ]
    for url in pages:
        response = client_in.get(url)
        if response.status_code == 403:  # a page this role may not see (e.g. 待关联音像): still headed
            assert "Content-Security-Policy" in response and _no_store(response)
            continue
        _assert_strict_page(response)


@pytest.mark.django_db
def test_given_the_login_page_when_opened_anonymously_then_strict_csp_and_no_store(client):
    """GIVEN nobody logged in WHEN the login page is opened THEN the strict CSP and not stored by caches."""
    _assert_strict_page(client.get("/login/"))


@pytest.mark.django_db
def test_given_an_api_token_when_reading_personal_data_then_private_no_store(officer):
    """GIVEN an officer's API token WHEN a case (party names, causes) is read through the API THEN the
    JSON answer is Cache-Control: private, no-store."""
    case = make_case(officer)
    response = Client().get(
        f"/api/cases/{case.pk}", headers={"Authorization": f"Bearer {token_issue(user=officer)}"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_given_static_files_and_public_log_tiles_when_fetched_then_they_stay_cacheable(client_in):
    """GIVEN a logged-in browser WHEN it fetches the stylesheet, a hash tile and the checkpoint THEN none is
    forced to no-store: they hold nothing personal and are meant to be cached."""
    append_n(300)
    checkpoint_issue()
    assert "no-store" not in client_in.get("/static/web/liuhen.css").get("Cache-Control", "")
    tile = client_in.get("/log/tile/0/000")
    assert tile.status_code == 200 and "immutable" in tile["Cache-Control"]
    assert client_in.get("/log/checkpoint")["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_given_the_api_docs_when_opened_then_swagger_ui_comes_from_the_site_itself(client_in):
    """GIVEN a logged-in user WHEN /api/docs is opened THEN it is the strict-CSP page, every script, style
    and icon it names is a local static file that is served, and it names no other site."""
    response = client_in.get("/api/docs")
    _assert_strict_page(response)
    html = response.content.decode()
    outside = [u for u in re.findall(r"https?://[^\s\"'<>]+", html) if not u.startswith("http://testserver/")]
    assert outside == []
    urls = _markup(response).urls
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), url
        assert client_in.get(url).status_code == 200, url
    assert '"validatorUrl": null' in html  # no badge image from validator.swagger.io either


_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.mark.browser
@pytest.mark.slow
def test_given_the_csp_when_an_officer_works_in_a_real_browser_then_nothing_is_blocked_and_htmx_swaps(
    server, browser
):
    """GIVEN a real server with the strict CSP and the demo data WHEN an officer filters the case list,
    opens a case, loads the 询问笔录 form (htmx), opens the upload page and the API docs THEN htmx swaps
    the list and the form in, Swagger UI renders, and the browser reports no CSP violation at all."""
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(_WATCH_CSP)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    violations: list[str] = []

    def collect() -> None:
        violations.extend(page.evaluate("window.__cspViolations || []"))

    log_in(page, server, "dalian_officer")
    collect()
    page.fill("#id_q", "no-such-case-zzz")
    page.wait_for_selector("#case-results a[href*='/cases/']", state="detached")  # swapped out by htmx
    page.fill("#id_q", "")
    page.wait_for_selector("#case-results a[href*='/cases/']")  # swapped back in by htmx
    collect()

    page.locator("#case-results a[href*='/cases/']").first.click()
    page.wait_for_url("**/cases/*/")
    page.click("summary:has-text('制作文书')")
    page.select_option("#id_doc_type", "inquiry_record")
    page.click("#panel-document button:has-text('填写')")
    page.wait_for_selector("#id_f_qa_content")  # the generated form, swapped in by htmx
    assert "documents/new" not in page.url
    collect()

    page.goto(f"{server}/evidence/upload/")
    page.wait_for_selector("#upload-form")
    assert page.evaluate("typeof tus !== 'undefined' && tus.isSupported")
    collect()

    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)  # the operations, rendered offline
    collect()
    context.close()

    assert violations == []
    assert [m for m in console if "Content Security Policy" in m or "Refused to" in m] == []
