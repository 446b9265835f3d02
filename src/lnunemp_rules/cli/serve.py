"""``lnunemp-rules serve``: the decision service over HTTP (docs/service.md).

Needs the ``server`` extra. Every setting is a flag or an environment variable (flags win),
so a container or a process manager can set them either way; the worker processes read them
from the environment. The rules are loaded and checked before the server starts: broken rules
exit 2 with every problem. An address other than loopback needs an API key (``--api-key-file``
or ``LNUNEMP_API_KEY``) unless ``--no-api-key`` says the proxy in front authenticates.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..rulebook.yamlfile import unreadable
from .options import add_rules_option, examples

__all__ = ["add_parser", "is_loopback", "run"]


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise InputError(name, f"{text!r} is not a whole number") from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve decisions over HTTP (JSON; OpenAPI at /openapi.json)",
        description=(
            "Serve the decisions over HTTP: /v1/registration, /v1/review, /v1/deadline, "
            "/v1/explain, /v1/receipt, /v1/replay, /v1/batch, /v1/rules, /healthz, /readyz "
            "(docs/service.md). Needs: pip install 'lnunemp-rules[server]'."
        ),
        epilog=examples(
            "lnunemp-rules serve                                  # http://127.0.0.1:8000",
            "lnunemp-rules serve --port 8080 --workers 2",
            "LNUNEMP_API_KEY=secret lnunemp-rules serve --host 0.0.0.0",
        ),
    )
    parser.add_argument("--host", help="address to listen on (LNUNEMP_HOST; default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (LNUNEMP_PORT; default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (LNUNEMP_WORKERS; default 1)")
    add_rules_option(parser, "to decide with")
    parser.add_argument(
        "--api-key-file", type=Path, metavar="FILE",
        help="ask for this key in the X-API-Key header (or set LNUNEMP_API_KEY)",
    )  # fmt: skip
    parser.add_argument(
        "--no-api-key", action="store_true",
        help="listen on a non-loopback address without a key (an authenticating proxy is in "
        "front)",
    )  # fmt: skip
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        metavar="N",
        help="largest body accepted (LNUNEMP_MAX_BODY_BYTES; default 1 MiB)",
    )
    parser.add_argument(
        "--max-events",
        type=int,
        metavar="N",
        help="events per registrant (LNUNEMP_MAX_EVENTS; default 1000)",
    )
    parser.add_argument(
        "--max-batch",
        type=int,
        metavar="N",
        help="records per /v1/batch request (LNUNEMP_MAX_BATCH; default 1000)",
    )
    parser.add_argument("--no-access-log", action="store_true", help="log no line per request")
    parser.set_defaults(func=run)  # fmt: skip
    return parser


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _api_key(args: argparse.Namespace) -> str | None:
    if args.api_key_file is None:
        found = os.environ.get("LNUNEMP_API_KEY")
        return found or None
    try:
        key: str = args.api_key_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("--api-key-file", f"{args.api_key_file}: {unreadable(exc)}") from None
    if not key:
        raise InputError("--api-key-file", f"{args.api_key_file}: is empty")
    return key


def _logging(access_log: bool) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["formatters"] = {
        **LOGGING_CONFIG["formatters"],
        "access_line": {"format": "%(asctime)s access %(message)s"},
    }
    config["handlers"] = {
        **LOGGING_CONFIG["handlers"],
        "access_line": {"class": "logging.StreamHandler", "formatter": "access_line",
                        "stream": "ext://sys.stderr"},
    }  # fmt: skip
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "lnunemp_rules.service": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "lnunemp_rules.service.access": {
            "handlers": ["access_line"],
            "level": "INFO" if access_log else "WARNING",
            "propagate": False,
        },
    }
    return config


def run(args: argparse.Namespace) -> int:
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise InputError(
            "serve", "the server extra is not installed: pip install 'lnunemp-rules[server]'"
        ) from None
    from ..rulebook.book import load_rule_book
    from ..service.settings import ServiceSettings

    host = args.host or os.environ.get("LNUNEMP_HOST") or "127.0.0.1"
    port = args.port if args.port is not None else _env_int("LNUNEMP_PORT", 8000)
    workers = args.workers if args.workers is not None else _env_int("LNUNEMP_WORKERS", 1)
    if not 0 <= port <= 65535:
        raise InputError("--port", f"{port} is not a port (0-65535)")
    if workers < 1:
        raise InputError("--workers", "must be 1 or more")
    key = _api_key(args)
    if key is None and not is_loopback(host) and not args.no_api_key:
        raise InputError("--host", f"{host} is not a loopback address: give an API key "
                         "(--api-key-file or LNUNEMP_API_KEY), or --no-api-key if a proxy in "
                         "front authenticates")  # fmt: skip
    for flag, name in (
        ("max_body_bytes", "LNUNEMP_MAX_BODY_BYTES"),
        ("max_events", "LNUNEMP_MAX_EVENTS"),
        ("max_batch", "LNUNEMP_MAX_BATCH"),
    ):
        value = getattr(args, flag)
        if value is not None:
            os.environ[name] = str(value)  # the worker processes read the environment
    if key is not None:
        os.environ["LNUNEMP_API_KEY"] = key
    ServiceSettings.from_environment()  # a bad limit is told here, not by every worker
    book = load_rule_book()
    print(f"lnunemp-rules serve: rules {book.version} (digest {book.digest}) on "
          f"http://{host}:{port} with {workers} worker(s); API key "
          f"{'required' if key else 'not required'}", file=sys.stderr)  # fmt: skip
    uvicorn.run(
        "lnunemp_rules.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=_logging(not args.no_access_log),
        server_header=False,
        proxy_headers=False,
    )
    return 0
