"""The web chat and JSON API: a thin shell over `Assistant` (FastAPI + Jinja2, templates in web/)."""
from assistant.api.app import create_app

__all__ = ["create_app"]
