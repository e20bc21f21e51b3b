"""Static files under content-hashed names, compressed ahead of time, cached for a year.

A participant on a slow, metered link should download the stylesheets and the socket.io
client once, compressed, and never ask for them again. So, when the application starts:

1. every file of ``consult/static`` is copied into ``STATIC_BUILD_DIR`` (``instance/static``)
   under a name carrying a digest of its content (``css/consult.3f2a9c1b7d4e.css``), beside a
   Brotli (``.br``) and a gzip (``.gz``) version where compression pays;
2. ``url_for('static', filename='css/consult.css')`` returns the hashed name;
3. `WhiteNoise <https://whitenoise.readthedocs.io/>`_, in front of the WSGI application,
   serves the hashed names with ``Cache-Control: max-age=315360000, public, immutable`` and
   the best encoding the browser accepts. A changed file gets a new name, so a page never
   meets a stale copy. The plain names still answer (for a link kept from before), cached
   for a minute only.

The build is content-addressed: a file already built is not written again, so the step costs
a few milliseconds once the folder is warm, and processes starting together (gunicorn workers)
write the same bytes through a temporary file and an atomic rename. Names built for earlier
versions stay, so that pages cached during an upgrade still find their files.

With ``FLASK_DEBUG`` the application keeps Flask's own static route and the plain names, so
that an edited stylesheet shows on the next reload.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

#: Characters of the SHA-256 digest kept in a hashed name (48 bits: no collision in practice).
DIGEST_LENGTH = 12
#: Seconds a plain (unhashed) name may be cached.
PLAIN_MAX_AGE = 60


def hashed_name(name: str, content: bytes) -> str:
    """``css/consult.css`` → ``css/consult.<digest>.css``: the digest before the last suffix."""
    digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
    folder, _, filename = name.rpartition("/")
    stem, dot, suffix = filename.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{filename}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy every file of ``source`` into ``target`` under its hashed name, compressed too.

    Returns the manifest: plain name (``css/consult.css``) → hashed name.
    """
    compressor = Compressor(quiet=True)
    manifest: dict[str, str] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        name = path.relative_to(source).as_posix()
        content = path.read_bytes()
        manifest[name] = hashed = hashed_name(name, content)
        built = target / hashed
        if built.exists():
            continue
        if compressor.should_compress(name):
            encodings = (("br", compressor.compress_brotli), ("gz", compressor.compress_gzip))
            for suffix, compress in encodings:
                packed = compress(content)
                if len(packed) <= 0.95 * len(content):
                    _write_atomically(built.with_name(f"{built.name}.{suffix}"), packed)
        _write_atomically(built, content)  # last: its presence says the set is complete
    return manifest


def _nosniff(headers: Any, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def favicon() -> Response:
    """``/favicon.ico``, for the clients that ask there without reading the page's ``<link>``."""
    icon = Path(current_app.static_folder or "") / "favicon.ico"
    response = Response(icon.read_bytes(), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def init_app(app: Flask) -> None:
    """Build the hashed files, point ``url_for('static')`` at them and serve them."""
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    if app.debug:
        return
    source = Path(app.static_folder or "")
    target = Path(app.config["STATIC_BUILD_DIR"])
    manifest = build(source, target)
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    prefix = (app.static_url_path or "/static").strip("/") + "/"
    server = WhiteNoise(
        app.wsgi_app,
        max_age=PLAIN_MAX_AGE,
        # everything in the build folder is hashed, earlier versions' files included
        immutable_file_test=lambda path, url: Path(path).is_relative_to(target),
        add_headers_function=_nosniff,
    )
    server.add_files(str(target), prefix=prefix)
    server.add_files(str(source), prefix=prefix)
    app.wsgi_app = server  # type: ignore[method-assign]
