"""The app factory: one FastAPI app over a store, with every page also served as JSON."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from importlib import resources
from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from westminster.config import Config
from westminster.store import Store, open_store
from westminster.web.auth import AdminGate
from westminster.web.context import WebContext, utc_now
from westminster.web.errors import install_error_handlers
from westminster.web.pages import (
    admin,
    apidocs,
    articles,
    entities,
    feeds,
    quotes,
    search,
    stories,
    subscribe,
    today,
    topics,
)
from westminster.web.render import Renderer
from westminster.web.security import CsrfSigner, SecurityMiddleware

API_TITLE = "Westminster Insights"
API_VERSION = "1"
API_DESCRIPTION = (
    "Political news as an attributable record: stories, people, quotes, figures, search. "
    "Every page is also JSON: add `.json` to its path or send `Accept: application/json`. "
    "Every error has one shape (`ErrorBody`)."
)

# Routers in the order they are matched (more specific paths first inside each).
ROUTERS = (
    today.router,
    stories.router,
    articles.router,
    entities.router,
    topics.router,
    search.router,
    quotes.router,
    feeds.router,
    subscribe.router,
    admin.router,
    apidocs.router,
)


def create_app(
    config: Config | None = None,
    *,
    store: Store | None = None,
    mailer: Any = None,
    base_url: str | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """The dashboard and API over `store` (opened from `config.db` at startup when not given).

    `mailer` is the delivery layer's mailer for sign-up confirmations; `base_url` is the
    public address used in links sent by email (default: the base_url setting).
    """
    config = config or Config.from_env()
    owned = store is None
    # The CSRF signer salts its key, so sharing secret_key with the email links is safe.
    secret = config.web_secret or config.secret_key or secrets.token_urlsafe(32)
    signer = CsrfSigner(secret)
    renderer = Renderer()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context: WebContext = app.state.context
        if owned:
            context.store = open_store(config.db)
        try:
            yield
        finally:
            if owned:
                context.store.close()

    app = FastAPI(
        title=API_TITLE,
        version=API_VERSION,
        description=API_DESCRIPTION,
        # Swagger UI and ReDoc load their code from a CDN; the API page (/api) is ours instead.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.renderer = renderer
    app.state.context = WebContext(
        config=config,
        store=store,  # type: ignore[arg-type]  # opened by the lifespan when None
        renderer=renderer,
        signer=signer,
        gate=AdminGate(config.admin_user, config.admin_password_hash),
        base_url=(base_url or config.base_url).rstrip("/"),
        mailer=mailer,
        clock=clock,
    )
    install_error_handlers(app)
    static = resources.files("westminster.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in ROUTERS:
        app.include_router(router)
    # The CSRF cookie is marked Secure when the site is served over https.
    secure = app.state.context.base_url.startswith("https://")
    app.add_middleware(SecurityMiddleware, signer=signer, secure_cookie=secure)
    return app
