"""The web dashboard and HTTP API (FastAPI): every page also as JSON.

`create_app(config, store=...)` builds the app; `westminster serve` runs it under uvicorn.
"""

from westminster.web.app import create_app

__all__ = ["create_app"]
