"""Shared test setup: no network, a fixed brief date, golden-file regeneration."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

# 2024-07-09 00:00 UTC: the brief date in golden files, whatever day the tests run
FIXED_EPOCH = "1720483200"


_SESSION_CACHE = tempfile.mkdtemp(prefix="briefgen-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """The whole session, module fixtures and real processes included, caches into
    a folder of its own: never the user's ``~/.cache/briefgen``."""
    os.environ["XDG_CACHE_HOME"] = _SESSION_CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The spaCy pipeline briefgen itself would load (one load for the whole session)."""
    from briefgen.extract.spacy_model import load_pipeline, model_names, resolve_model

    return load_pipeline(resolve_model(model_names()))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """briefgen never uses the network; any attempt fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def fixed_date(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    # the extraction cache goes to a folder of the test session, never the user's
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    yield
