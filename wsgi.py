"""Entry point for a checkout: ``gunicorn -k gevent -w 1 wsgi:app`` (the same app as ``consult.wsgi``)."""

from consult.wsgi import app

__all__ = ["app"]
