"""WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (run ``tessera init`` first)."""

from gateway import create_app

app = create_app()
