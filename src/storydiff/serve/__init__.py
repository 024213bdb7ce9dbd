"""`storydiff serve`: a local web app and HTTP API over a corpus store.

    from storydiff.serve import ServeSettings, create_app
    app = create_app(ServeSettings(db=Path("news.db"), hosts=loopback_hosts(8000)))  # an ASGI app

Pages (`_pages.py`) and the API (`_api.py`) read the store; comparing and ingesting run as jobs
in a worker process (`_jobs.py`); every request passes `_guard.Guard` (host, token, origin,
body size, security headers).
"""

from ._app import ServeSettings, create_app, is_loopback, loopback_hosts

__all__ = ["ServeSettings", "create_app", "is_loopback", "loopback_hosts"]
