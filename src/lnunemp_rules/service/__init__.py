"""The decision service: the library's decisions over HTTP for systems that are not Python.

``lnunemp-rules serve`` (docs/service.md) runs :func:`create_app` under uvicorn. Needs the
``server`` extra (FastAPI, uvicorn): ``pip install 'lnunemp-rules[server]'``. Importing
this package imports FastAPI; nothing else in the library does.
"""

from __future__ import annotations

from .app import create_app
from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
