"""Production entry point: ``gunicorn -w 1 --threads 100 wsgi:app``."""

from consult import create_app

app = create_app()
