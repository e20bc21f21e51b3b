"""Every page, for every reader, in the six languages, is valid HTML by the Nu HTML checker.

The Nu checker (``vnu.jar``, from the npm package ``vnu-jar``, run with Java 17) is the one
behind validator.w3.org/nu. The pages are fetched through the test client from the demo data
(``tests/crawl.py`` finds them) and checked in one run of the checker. Marked ``browser``: like
the Chromium checks, it needs a tool from outside Python and takes a while.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.demo import load_demo
from consult.extensions import db
from tests.conftest import sign_in
from tests.crawl import (
    ACCOUNTS,
    NOT_CHECKED,
    ROLES,
    Answer,
    complete_demo,
    crawl,
    kind_of_page,
    page_rules,
    starting_points,
)
from tests.live import ROOT
from tests.services import require

pytestmark = pytest.mark.browser

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LOCALES = ("en", "ar", "zh_Hans", "fr", "ru", "es")
HOST = "consult.test"


def nu_errors(folder: Path) -> dict[str, list[str]]:
    """The Nu checker's errors on each ``.html`` file of ``folder``: file name → messages."""
    java = shutil.which("java")
    require(java is not None, "Java is not installed (apt-get install openjdk-17-jre-headless)")
    require(VNU.exists(), f"the Nu HTML checker is not installed ({VNU}); run `make vendor`")
    options = ["--errors-only", "--format", "json", "--stdout", "--skip-non-html"]
    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), *options, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    report = json.loads(run.stdout or "{}")
    assert "messages" in report, run.stderr[-2000:]
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        name = Path(message.get("url", "?")).name
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join(message.get("extract", "").split())[:120]
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


def fetcher(client: FlaskClient):
    def fetch(path: str) -> Answer:
        response = client.get(path)
        return Answer(
            response.status_code,
            response.mimetype,
            response.get_data(as_text=True) if response.mimetype == "text/html" else "",
            response.headers.get("Location"),
        )

    return fetch


def readers(app: Flask, users: dict) -> dict[str, FlaskClient]:
    clients = {role: app.test_client() for role in ROLES}
    for role, email in ACCOUNTS.items():
        sign_in(clients[role], users[email])
    return clients


def set_language(client: FlaskClient, role: str, users: dict, locale: str) -> None:
    """The visitor's cookie, or the member's saved choice (which wins over the cookie)."""
    if role == "visitor":
        client.set_cookie("language", locale, domain=HOST)
    else:
        users[ACCOUNTS[role]].language = locale
        db.session.commit()


def test_the_checker_reports_errors(tmp_path):
    """Does the check find the defects the issue named (a duplicate id, a bad datetime)?"""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><p id="a">x</p><p id="a">'
        '<time datetime="2026-11-30T10:00:00.123456">y</time></p>'
    )
    (tmp_path / "good.html").write_text('<!doctype html><html lang="en"><title>t</title><p>x</p>')
    errors = nu_errors(tmp_path)
    assert set(errors) == {"bad.html"}
    assert any("Duplicate ID" in message for message in errors["bad.html"])
    assert any("datetime" in message for message in errors["bad.html"])


def test_every_page_in_every_language_is_valid_html(app, tmp_path, monkeypatch):
    """For a visitor, a member and the Secretariat, in six languages: 0 errors from Nu?"""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # forms as in production
    with app.test_request_context():
        users = load_demo()
        complete_demo(users)
        starts = {role: starting_points(role) for role in ROLES}
    clients = readers(app, users)
    written: dict[str, str] = {}
    reached: set[str] = set()
    for role in ROLES:
        client = clients[role]
        set_language(client, role, users, "en")
        pages = crawl(app, fetcher(client), starts[role], host=HOST)
        assert len(pages) > (10 if role == "visitor" else 15), sorted(pages)
        reached.update((kind_of_page(app, path) or (path,))[0] for path in pages)
        for locale in LOCALES:
            set_language(client, role, users, locale)
            for number, path in enumerate(sorted(pages)):
                response = client.get(path)
                assert response.status_code < 500, (role, locale, path)
                name = f"{role}-{locale}-{number:03}.html"
                (tmp_path / name).write_bytes(response.data)
                written[name] = f"{role} {locale} {path}"
    assert page_rules(app) - reached == set(NOT_CHECKED), "pages no crawl reached"
    errors = nu_errors(tmp_path)
    report = "\n".join(
        f"{written.get(name, name)}: {message}"
        for name, found in sorted(errors.items())
        for message in found
    )
    assert not errors, f"{len(errors)} of {len(written)} pages have errors:\n{report}"
