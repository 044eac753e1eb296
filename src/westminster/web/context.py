"""What every request handler needs: the store, the settings, the renderer and the gates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from starlette.requests import Request

from westminster.config import Config
from westminster.knowledge.offices import OfficeTable, load_office_table
from westminster.store import Store
from westminster.web.auth import AdminGate
from westminster.web.render import Renderer
from westminster.web.security import CsrfSigner


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass
class WebContext:
    """One app's shared state (the store's readers are per thread, so this is thread-safe)."""

    config: Config
    store: Store
    renderer: Renderer
    signer: CsrfSigner
    gate: AdminGate
    base_url: str
    mailer: Any = None  # the delivery layer's mailer (SMTP); None: sign-up sends no email
    clock: Callable[[], datetime] = utc_now
    extras: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def offices(self) -> OfficeTable:
        """The office table (bundled, with refreshed rows from the data folder)."""
        return load_office_table(self.config.data_dir)


def get_context(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency)."""
    context: WebContext = request.app.state.context
    return context
