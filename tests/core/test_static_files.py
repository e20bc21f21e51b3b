"""Static files: hashed names, precompressed, cached for a year; the favicon."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from consult import PACKAGE_ROOT, create_app
from consult.assets import build

HASHED = re.compile(r"/static/(?:[\w-]+/)*[\w.-]+\.[0-9a-f]{12}\.\w+")


def fetch(client, url: str, **kwargs):
    """GET ``url``, the response read and closed (WhiteNoise answers with an open file)."""
    return client.get(url, buffered=True, **kwargs)


def static_references(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_static_files_by_their_content(client):
    """Does every page link its stylesheets, scripts and icons under content-hashed names?"""
    html = client.get("/").get_data(as_text=True)
    references = static_references(html)
    assert any("/css/consult." in ref for ref in references)
    assert all(HASHED.fullmatch(ref) for ref in references), references
    assert '<link rel="icon"' in html


def test_hashed_files_are_compressed_and_cached_for_a_year(client):
    """Is a hashed stylesheet sent Brotli- or gzip-compressed, as the browser accepts, immutable?"""
    html = client.get("/").get_data(as_text=True)
    css = next(ref for ref in static_references(html) if "/css/consult." in ref)
    plain = (PACKAGE_ROOT / "static" / "css" / "consult.css").read_bytes()

    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = fetch(client, css, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert len(response.data) < len(plain) / 2
        assert decompress(response.data) == plain
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "no-cache" not in cache
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    identity = fetch(client, css, headers={"Accept-Encoding": "identity"})
    assert identity.data == plain and "Content-Encoding" not in identity.headers


def test_plain_names_still_answer_briefly_cached(client):
    """Does a link kept from before (no hash) still work, cached for a minute only?"""
    response = fetch(client, "/static/css/consult.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert fetch(client, "/static/css/nothing-here.css").status_code == 404


def test_the_socket_io_client_travels_compressed(client, app):
    """Is the largest file, the socket.io client, sent at under a third of its size?"""
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="vendor/socket.io.min.js")
    assert HASHED.fullmatch(url)
    response = fetch(client, url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.data) * 3 < (PACKAGE_ROOT / "static/vendor/socket.io.min.js").stat().st_size


def test_a_changed_file_gets_a_new_name_and_the_old_one_stays(tmp_path: Path):
    """After an upgrade, do pages get the new file while cached pages still find the old one?"""
    source, target = tmp_path / "source", tmp_path / "built"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }\n" * 40)
    first = build(source, target)
    (source / "css" / "site.css").write_text("body { color: navy; }\n" * 40)
    second = build(source, target)
    assert first["css/site.css"] != second["css/site.css"]
    for name in (first["css/site.css"], second["css/site.css"]):
        assert (target / name).exists()
        assert (target / f"{name}.br").exists() and (target / f"{name}.gz").exists()
    assert build(source, target) == second


def test_the_favicon(client):
    """Is there an icon at /favicon.ico, as browsers and feed readers ask, and named in pages?"""
    response = fetch(client, "/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/sign-in").get_data(as_text=True)
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert icons and all(fetch(client, icon).status_code == 200 for icon in icons)


def test_debug_mode_serves_plain_names(tmp_path: Path, monkeypatch):
    """With FLASK_DEBUG, do pages link the plain names, so an edited stylesheet shows at once?"""
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="css/consult.css") == "/static/css/consult.css"
    assert not (tmp_path / "static").exists()
