"""Conditional GET validators kept in the store, so they outlive one ingest run.

The fetcher remembers a 200's ETag and Last-Modified as soon as it has the page; written to
the store at that moment, a run killed before the page's article was stored, analysed and
linked would be told 304 Not Modified next time and never store it. So new validators wait
here until the pipeline `commit`s the page, at the same checkpoint where archive records are
marked as stored.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from westminster.ingest.fetcher import Validators
from westminster.store import Store


class StoreValidatorCache:
    """The fetcher's ValidatorCache over the store; new validators are stored on `commit`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[str, Validators] = {}
        self._lock = threading.Lock()  # the fetcher calls get/put from its worker threads

    def get(self, url: str) -> Validators | None:
        """The validators seen in this run, else those stored by an earlier one."""
        with self._lock:
            seen = self._pending.get(url)
        if seen is not None:
            return seen
        stored = self.store.get_validators(url)
        return None if stored is None else Validators(etag=stored[0], last_modified=stored[1])

    def put(self, url: str, validators: Validators) -> None:
        """Hold a fetched page's validators until its article is safely stored."""
        with self._lock:
            self._pending[url] = validators

    def forget(self, url: str) -> None:
        """Drop a URL's validators, held or stored, so its next fetch reads it whole."""
        with self._lock:
            self._pending.pop(url, None)
        if self.store.get_validators(url) is not None:
            self.store.put_validators(url, None, None)

    def commit(self, urls: Iterable[str]) -> None:
        """Store the held validators of these fetched URLs (URLs with none held are ignored)."""
        for url in urls:
            with self._lock:
                validators = self._pending.pop(url, None)
            if validators is not None:
                self.store.put_validators(url, validators.etag, validators.last_modified)
