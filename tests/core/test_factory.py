"""The application factory and its settings."""

from pathlib import Path

import pytest

from consult import create_app
from consult.config import ConfigError, load_config, normalise_database_url


def test_local_mode_generates_and_keeps_a_secret_key(tmp_path: Path):
    """Is a secret key made on first start in local mode, and the same one reused?"""
    first = load_config(tmp_path, {})
    second = load_config(tmp_path, {})
    assert len(first["SECRET_KEY"]) >= 40
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_mode_without_secret_key_is_a_clear_error(tmp_path: Path):
    """Does production refuse to start without SECRET_KEY, saying what to do?"""
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_config(tmp_path, {"CONSULT_ENV": "production"})


def test_production_mode_secures_cookies(tmp_path: Path):
    """Are cookies Secure in production and HttpOnly, SameSite=Lax everywhere?"""
    config = load_config(
        tmp_path,
        {"CONSULT_ENV": "production", "SECRET_KEY": "x" * 50, "PUBLIC_URL": "https://c.example"},
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    local = load_config(tmp_path, {})
    assert local["SESSION_COOKIE_SECURE"] is False


def test_settings_come_from_the_environment(tmp_path: Path):
    """Are the documented settings read from the environment?"""
    env = {
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": "postgres://u@db/consult",
        "MAIL_SERVER": "smtp.example.org",
        "MAIL_PORT": "587",
        "MAIL_USERNAME": "bot",
        "MAIL_PASSWORD": "pw",
        "MAIL_USE_TLS": "true",
        "MAIL_DEFAULT_SENDER": "Secretariat <s@example.org>",
        "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/1",
        "SERVER_NAME": "consult.example.org",
        "PREFERRED_URL_SCHEME": "https",
    }
    config = load_config(tmp_path, env)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/consult"
    assert config["MAIL_SERVER"] == "smtp.example.org"
    assert config["MAIL_PORT"] == 587
    assert config["MAIL_USE_TLS"] is True
    assert config["MAIL_USERNAME"] == "bot"
    assert config["MAIL_PASSWORD"] == "pw"
    assert config["MAIL_DEFAULT_SENDER"] == "Secretariat <s@example.org>"
    assert config["SOCKETIO_MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/1"
    assert config["SERVER_NAME"] == "consult.example.org"
    assert config["PREFERRED_URL_SCHEME"] == "https"


def test_bad_number_in_settings_is_a_clear_error(tmp_path: Path):
    """Is a mistyped port reported by name?"""
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        load_config(tmp_path, {"MAIL_PORT": "twenty-five"})


def test_default_database_is_sqlite_in_instance(tmp_path: Path):
    """Without DATABASE_URL, is the database a SQLite file in the instance folder?"""
    config = load_config(tmp_path, {})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consult.sqlite3'}"
    assert config["MAIL_SERVER"] is None
    assert config["MAIL_OUTBOX_DIR"] == str(tmp_path / "outbox")


def test_postgres_urls_use_psycopg3():
    """Do both spellings of a PostgreSQL URL select psycopg 3?"""
    assert normalise_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_factory_applies_overrides(tmp_path: Path):
    """Does ``create_app(config)`` put the given mapping over the environment?"""
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "TESTING": True, "DEFAULT_TIMEZONE": "Europe/Paris"}
    )
    assert app.testing
    assert app.config["DEFAULT_TIMEZONE"] == "Europe/Paris"
    assert {"accounts", "dashboard", "public"} <= set(app.blueprints)


def test_production_mode_without_public_url_is_a_clear_error(tmp_path: Path):
    """Does production refuse to start without PUBLIC_URL, saying what to set?"""
    with pytest.raises(ConfigError, match=r"PUBLIC_URL is not set.*https://consult\.example\.org"):
        load_config(tmp_path, {"CONSULT_ENV": "production", "SECRET_KEY": "x" * 50})


@pytest.mark.parametrize(
    "value", ["consult.example.org", "ftp://consult.example.org", "https://", "https://x.org/?a=1"]
)
def test_a_malformed_public_url_is_a_clear_error(tmp_path: Path, value: str):
    """Is a PUBLIC_URL that is not an http(s) address refused by name?"""
    with pytest.raises(ConfigError, match="PUBLIC_URL must be"):
        load_config(tmp_path, {"PUBLIC_URL": value})


def test_public_url_defaults_locally_and_loses_its_trailing_slash(tmp_path: Path):
    """Is the local default the development server, and a given URL kept without its slash?"""
    assert load_config(tmp_path, {})["PUBLIC_URL"] == "http://127.0.0.1:5000"
    config = load_config(tmp_path, {"PUBLIC_URL": "https://un.example/consult/"})
    assert config["PUBLIC_URL"] == "https://un.example/consult"


def test_jobs_go_to_sqlite_in_the_instance_or_to_redis(tmp_path: Path):
    """Is the queue a SQLite file in the instance folder by default, Redis when asked?"""
    assert load_config(tmp_path, {})["JOBS_URL"] == f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    redis = load_config(tmp_path, {"JOBS_URL": "redis://cache:6379/2"})
    assert redis["JOBS_URL"] == "redis://cache:6379/2"
    with pytest.raises(ConfigError, match="JOBS_URL must be"):
        load_config(tmp_path, {"JOBS_URL": "amqp://guest@rabbit//"})
