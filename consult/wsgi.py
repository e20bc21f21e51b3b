"""Production entry point of the installed package: ``gunicorn -k gevent -w 1 consult.wsgi:app``.

Settings come from the environment; the instance folder (secret key, outbox, uploads, the
default SQLite database) is ``INSTANCE_PATH``, else ``instance/`` in the working directory.
"""

from consult import create_app

app = create_app()
