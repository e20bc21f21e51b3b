"""The comparison for bench/registration.py: a bare Flask + SQLAlchemy endpoint that inserts a row."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the bench table."""


db = SQLAlchemy(model_class=Base)


class Row(db.Model):
    """One inserted row."""

    __tablename__ = "bench_bare_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app() -> Flask:
    """The bare application on ``BENCH_DATABASE_URL``."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_DATABASE_URL"]
    db.init_app(app)

    @app.post("/insert")
    def insert():
        """Insert one row from the form and commit."""
        db.session.add(
            Row(
                name=request.form.get("name", ""),
                email=request.form.get("email", ""),
                created_at=datetime.now(UTC),
            )
        )
        db.session.commit()
        return "", 201

    with app.app_context():
        db.create_all()
    return app


app = create_app()
