"""The wheel, installed into a fresh virtual environment outside the checkout, migrates and serves.

The same steps as a deployment (README, "Deployment"): build the wheel, install the locked
dependencies (``requirements.lock.txt``, hashes checked) and the wheel into a new virtual
environment, ``flask --app consult db upgrade``, then ``gunicorn consult.wsgi:app`` started
from another folder. ``PYTHONPATH`` is cleared, so only the installed package can answer.
pip's cache makes the install take seconds once the suite has run before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from tests.conftest import sibling_database
from tests.live import ROOT, LiveServer

pytestmark = [pytest.mark.live, pytest.mark.package]

VENDORED = "consult/static/vendor/socket.io.min.js"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command to its end; on failure, fail the test with its output."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=_outside_env(env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def _outside_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without anything pointing at the checkout or its venv."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL", "INSTANCE_PATH"}
    }
    return {**env, **(extra or {})}


def _package_files(folder: Path) -> set[str]:
    """Paths (``consult/...``) of the files a wheel of ``folder`` must hold."""
    return {
        path.relative_to(folder.parent).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by pip from a copy of the checkout's package, pyproject.toml and README."""
    assert (ROOT / VENDORED).exists(), "run `make vendor`: the wheel carries the socket.io client"
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        ROOT / "consult",
        source / "consult",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = work / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, source], work)
    (built,) = dist.glob("consult-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment outside the checkout with the locked dependencies and the wheel."""
    folder = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", folder], folder)
    # This environment's pip installs into the new one (--python): quicker than a pip of its own.
    pip = [sys.executable, "-m", "pip", "--python", folder / "bin" / "python"]
    lock = ROOT / "requirements.lock.txt"
    _run([*pip, "install", "--quiet", "--require-hashes", "-r", lock], folder)
    _run([*pip, "install", "--quiet", "--no-deps", wheel], folder)
    _run([*pip, "check"], folder)
    return folder


def test_the_wheel_holds_every_file_of_the_package(wheel):
    """Does the wheel hold each template, static file, migration and translation, and no cache?"""
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("consult/")}
    missing = _package_files(ROOT / "consult") - shipped
    assert not missing, f"files of consult/ missing from the wheel: {sorted(missing)}"
    for needed in (
        "consult/wsgi.py",
        "consult/templates/base.html",
        "consult/static/css/consult.css",
        VENDORED,
        "consult/migrations/alembic.ini",
        "consult/migrations/env.py",
    ):
        assert needed in shipped
    assert [name for name in shipped if "__pycache__" in name or name.endswith(".pyc")] == []


def test_the_installed_package_migrates_and_serves_from_any_directory(
    venv, database_url, tmp_path_factory
):
    """Installed outside the checkout, does the package build the schema and serve its pages?"""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    instance = elsewhere / "state"
    database = sibling_database(database_url, "package", elsewhere)
    env = {"INSTANCE_PATH": str(instance), "DATABASE_URL": database}
    python, flask = venv / "bin" / "python", venv / "bin" / "flask"

    where = _run([python, "-c", "import consult; print(consult.__file__)"], elsewhere)
    assert Path(where.strip()).is_relative_to(venv)

    _run([flask, "--app", "consult", "db", "upgrade"], elsewhere, env)
    head = ScriptDirectory(str(ROOT / "consult" / "migrations")).get_current_head()
    engine = create_engine(database)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
    engine.dispose()

    server = LiveServer(
        env=_outside_env(env),
        python=str(python),
        cwd=elsewhere,
        target="consult.wsgi:app",
        pythonpath=None,
        threads=4,
    )
    with server:
        home = requests.get(f"{server.url}/", timeout=30)
        assert home.status_code == 200
        assert "Steering Group on voluntary initiatives and agreements" in home.text
        assert "· Consult</title>" in home.text
        client = requests.get(f"{server.url}/static/vendor/socket.io.min.js", timeout=30)
        assert client.status_code == 200
        assert client.content == (ROOT / VENDORED).read_bytes()
        css = requests.get(f"{server.url}/static/css/consult.css", timeout=30)
        assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
    assert (instance / "secret_key").exists()
    assert not (elsewhere / "instance").exists()
