"""Uploads through a real gunicorn server: the limit message reaches the browser."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.documents.conftest import PDF_BYTES
from tests.live import LiveServer, csrf_token_in

pytestmark = [
    pytest.mark.live,
    # tests/live.py leaves the gunicorn log file to the garbage collector.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _officer(database_url: str, instance_path) -> str:
    """A Secretariat officer committed in the live database; returns the e-mail."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance_path)})
    email = f"public-officer-{uuid.uuid4().hex[:8]}@example.org"
    with app.app_context():
        groups = ensure_standard_constituencies()
        user = User(
            email=email,
            display_name="Upload officer",
            constituency=groups["desa-dsd"],
            role=Role.SECRETARIAT,
        )
        set_password(user, TEST_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return email


def _token(session: requests.Session, url: str) -> str:
    token = csrf_token_in(session.get(url, timeout=10).text)
    assert token, f"no CSRF token on {url}"
    return token


def test_upload_limit_and_download_on_a_real_server(live_database_url, tmp_path):
    """On gunicorn, is a too-large file answered with the form and the limit, and a good one served?"""
    email = _officer(live_database_url, tmp_path)
    server = LiveServer(
        env={
            "DATABASE_URL": live_database_url,
            "SECRET_KEY": "public-live-test",
            "INSTANCE_PATH": str(tmp_path),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "MAX_CONTENT_LENGTH": str(1024 * 1024),
            "RATELIMIT_ENABLED": "false",
        }
    ).start()
    try:
        session = requests.Session()
        token = _token(session, f"{server.url}/sign-in")
        session.post(
            f"{server.url}/sign-in",
            data={"email": email, "password": TEST_PASSWORD, "csrf_token": token},
            timeout=10,
        )
        form = {"title": "Paper", "kind": "study", "visibility": "public", "attach_to": ""}
        token = _token(session, f"{server.url}/manage/documents/new")
        too_big = session.post(
            f"{server.url}/manage/documents/new",
            data={**form, "csrf_token": token},
            files={"file": ("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024), "application/pdf")},
            timeout=30,
        )
        assert too_big.status_code == 413
        assert "The file is too large: the limit is 1 MB." in too_big.text

        good = session.post(
            f"{server.url}/manage/documents/new",
            data={**form, "csrf_token": token},
            files={"file": ("../../Paper.pdf", PDF_BYTES, "application/pdf")},
            timeout=30,
        )
        assert good.status_code == 200  # followed the redirect to the studies page
        link = re.search(r'href="(/documents/\d+/download)">Paper</a>', good.text)
        assert link, good.text[:2000]
        download = requests.get(f"{server.url}{link.group(1)}", timeout=10)
        assert download.content == PDF_BYTES
        assert download.headers["Content-Type"] == "application/pdf"
        disposition = download.headers["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="?Paper\.pdf"?', disposition), disposition
    finally:
        server.stop()
