"""Every page a Secretariat officer can open: no crash, labelled inputs, CSP-clean markup."""

from html.parser import HTMLParser

import pytest

from tests.conftest import sign_in


class PageAudit(HTMLParser):
    """Collects what the accessibility and CSP checks need from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.inline_scripts = 0
        self.style_attributes = 0
        self.event_handlers: list[str] = []
        self.open_label = 0
        self.labelled_inline = 0
        self.has_main = False
        self.has_skip_link = False
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "main":
            self.has_main = True
        if tag == "a" and attributes.get("href") == "#main":
            self.has_skip_link = True
        if tag == "label":
            self.open_label += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if "style" in attributes:
            self.style_attributes += 1
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        if tag in {"input", "select", "textarea"}:
            kind = attributes.get("type", "text")
            if kind in {"hidden", "submit", "button", "reset", "image"}:
                return
            attributes["_inside_label"] = "yes" if self.open_label else None
            self.inputs.append(attributes)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_label = max(0, self.open_label - 1)

    def unlabelled(self) -> list[str]:
        """Names of inputs with no label, aria-label or aria-labelledby."""
        return [
            str(field.get("name") or field.get("id"))
            for field in self.inputs
            if field.get("id") not in self.label_targets
            and not field.get("aria-label")
            and not field.get("aria-labelledby")
            and not field.get("_inside_label")
        ]

    def problems(self, path: str) -> list[str]:
        """What is wrong with the page at ``path``: unlabelled inputs, CSP breaches, landmarks."""
        found = []
        if self.unlabelled():
            found.append(f"{path}: inputs without label {self.unlabelled()}")
        if self.inline_scripts or self.style_attributes or self.event_handlers:
            found.append(f"{path}: inline script, style or handler")
        if not (self.has_main and self.has_skip_link and self.html_lang):
            found.append(f"{path}: no main landmark, skip link or lang")
        return found


def audit_page(html: str, path: str) -> list[str]:
    """The problems :class:`PageAudit` finds in one page."""
    audit = PageAudit()
    audit.feed(html)
    return audit.problems(path)


def _simple_get_routes(app) -> list[str]:
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            routes.append(rule.rule)
    return sorted(routes)


def test_every_simple_page_is_sound(app, client, make_secretariat):
    """Does each page open without error, label every input, and keep to the CSP?"""
    sign_in(client, make_secretariat())
    routes = _simple_get_routes(app)
    assert "/dashboard" in routes and "/profile" in routes
    problems = []
    for path in routes:
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
            continue
        if not response.content_type.startswith("text/html") or response.status_code != 200:
            continue
        problems += audit_page(response.get_data(as_text=True), path)
    assert problems == []


@pytest.mark.parametrize("path", ["/", "/sign-in", "/password/forgot"])
def test_public_pages_are_light(client, path):
    """Does a public page with its stylesheet weigh well under 60 KB?"""
    page = client.get(path)
    with client.get("/static/css/consult.css") as css:
        size = len(page.data) + len(css.data)
    assert page.status_code == 200
    assert size < 40_000
