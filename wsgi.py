"""The WSGI entry point: `gunicorn wsgi:app`."""

from website import create_app

app = create_app()
