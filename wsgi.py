"""Entry point for a checkout: ``gunicorn -w 1 --threads 100 wsgi:app`` (the same app as ``consult.wsgi``)."""

from consult.wsgi import app

__all__ = ["app"]
