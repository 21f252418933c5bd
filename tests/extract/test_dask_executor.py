"""The Dask executor (``--executor dask``) on LocalClusters of 2 workers: the same bytes
as a local run, the model loaded once per worker, a lost worker's task rerun, and a
cluster that gives up writes nothing."""

from __future__ import annotations

import _socket
import os
import socket
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import SharedConfig, config_dirs, load_shared
from briefgen.extract import dask_executor
from briefgen.extract.dask_executor import DaskExecutor, analyze_on_worker
from briefgen.extract.run import analyze_documents
from briefgen.extract.spacy_model import model_names, resolve_model
from briefgen.records import Document, Extraction
from tests.helpers import article, assert_complete, brief_files, one_error_line, run_cli, sources

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module", autouse=True)
def no_thread_left() -> Iterator[None]:
    """Leave this process with one thread, as other tests expect (a process forks its
    PDF worker only then): distributed keeps a global offload thread once used."""
    yield
    from concurrent.futures import ThreadPoolExecutor

    from distributed import utils

    utils._offload_executor.shutdown(wait=True)
    utils._offload_executor = ThreadPoolExecutor(1, thread_name_prefix="Dask-Offload")


@pytest.fixture(scope="module")
def threads_cluster() -> Iterator[Any]:
    """Two workers as threads of this process (in-process transport: no sockets)."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def process_cluster() -> Iterator[Any]:
    """Two worker processes on loopback, each under a nanny that restarts it if it dies."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
        silence_logs=50,
    ) as cluster:
        yield cluster


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers talk over loopback TCP; anything else is still refused."""
    connect = _socket.socket.connect  # beneath the no_network fixture's refusal

    def guarded(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access attempted: {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Model loads by worker address, counted from a clean slate."""
    counted: Counter[str] = Counter()
    real = dask_executor.load_model

    def counting(model: str) -> Any:
        counted[distributed.get_worker().address] += 1
        return real(model)

    monkeypatch.setattr(dask_executor, "_pipelines", {})
    monkeypatch.setattr(dask_executor, "load_model", counting)
    return counted


def _documents(tmp_path: Path, count: int) -> tuple[list[Document], SharedConfig]:
    from briefgen.pipeline import clean
    from briefgen.sources import read_source

    shared = load_shared(config_dirs(()))
    return [clean(read_source(p), shared) for p in sources(tmp_path, count)], shared


def test_same_extractions_and_one_model_load_per_worker(
    threads_cluster: Any, loads: Counter[str], tmp_path: Path
) -> None:
    documents, shared = _documents(tmp_path, 8)
    model = resolve_model(model_names())
    with distributed.Client(threads_cluster, set_as_default=False) as client:
        executor = DaskExecutor(client)
        first = executor.run(documents, shared, model)
        again = executor.run(documents, shared, model)  # the workers keep their models
        workers = set(client.scheduler_info()["workers"])
    assert first == again == analyze_documents(documents, shared, model)
    assert [e.document.source.id for e in first] == [d.source.id for d in documents]
    # 16 tasks, at most one load on each of the 2 workers
    assert set(loads.values()) == {1} and 1 <= len(loads) <= 2 and set(loads) <= workers


def test_cli_on_dask_writes_the_same_bytes_as_a_local_run(
    threads_cluster: Any, loads: Counter[str], tmp_path: Path
) -> None:
    paths = sources(tmp_path, 3)
    common = ["-a", "all", "-f", "md,html,json", "--no-cache", *paths]
    local = run_cli(*common, "-o", str(tmp_path / "local"))
    dask = run_cli(
        "--executor", "dask", "--scheduler", threads_cluster.scheduler_address,
        "-o", str(tmp_path / "dask"), *common,
    )  # fmt: skip
    assert local.code == dask.code == 0, dask.stderr
    assert sum(loads.values()) >= 1  # parsed on the cluster, not in this process
    written = assert_complete(tmp_path / "dask", reference=tmp_path / "local")
    assert len(written) == len(brief_files(tmp_path / "local")) == 3 * 3 * 3


def test_python_api_on_dask_reads_what_it_reads_locally(
    threads_cluster: Any, loads: Counter[str], tmp_path: Path
) -> None:
    from briefgen import Briefgen

    paths = sources(tmp_path, 2)
    on_dask = Briefgen(scheduler=threads_cluster.scheduler_address).read(*paths)
    assert sum(loads.values()) >= 1
    assert on_dask == Briefgen().read(*paths)


def crash_once(document: Document, shared: SharedConfig, model: str) -> Extraction:
    """The first attempt at a source kills its worker process mid-task."""
    marker = Path(document.source.path).with_suffix(".crashed")
    if not marker.exists():
        marker.touch()
        os._exit(1)
    return analyze_on_worker(document, shared, model)


def crash_always(document: Document, shared: SharedConfig, model: str) -> Extraction:
    os._exit(1)


def test_a_worker_lost_mid_task_is_retried_by_dask(
    process_cluster: Any, loopback_only: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(article(1), encoding="utf-8")
    monkeypatch.setattr(dask_executor, "analyze_on_worker", crash_once)
    common = ["-a", "nato", "-f", "md,json", "--no-cache", str(tmp_path / "a.txt")]
    dask = run_cli(
        "--executor", "dask", "--scheduler", process_cluster.scheduler_address,
        "-o", str(tmp_path / "dask"), *common,
    )  # fmt: skip
    assert dask.code == 0, dask.stderr
    assert (tmp_path / "a.crashed").exists()  # a worker did die on it
    assert run_cli(*common, "-o", str(tmp_path / "local")).code == 0
    assert len(assert_complete(tmp_path / "dask", reference=tmp_path / "local")) == 2


def test_a_cluster_that_gives_up_writes_nothing(
    process_cluster: Any, loopback_only: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(process_cluster.scheduler, "allowed_failures", 0)
    monkeypatch.setattr(dask_executor, "analyze_on_worker", crash_always)
    paths = sources(tmp_path, 2)
    result = run_cli(
        "--executor", "dask", "--scheduler", process_cluster.scheduler_address,
        "-a", "nato", "-f", "md", "--no-cache", "-o", str(tmp_path / "out"), *paths,
    )  # fmt: skip
    assert result.code == 1
    line = one_error_line(result.stderr)
    assert "Dask workers running its extraction kept dying" in line
    assert "the run stops here" in line
    assert brief_files(tmp_path / "out") == []


def test_an_unreachable_scheduler_is_one_line(loopback_only: None, tmp_path: Path) -> None:
    executor = DaskExecutor("tcp://127.0.0.1:9", timeout=0.5)
    documents, shared = _documents(tmp_path, 1)
    with pytest.raises(dask_executor.ConfigError, match=r"--scheduler tcp://127.0.0.1:9: cannot"):
        executor.run(documents, shared, resolve_model(model_names()))


@pytest.mark.parametrize(
    ("greeting", "reason"),
    [
        (None, "it accepts connections but does not answer as a Dask scheduler"),
        (b"HTTP/1.0 400 Bad Request\r\n" + b"\xff" * 40, "something answers there, but not a"),
    ],
)
def test_a_port_that_is_no_scheduler_is_one_line_not_a_hang(
    loopback_only: None, tmp_path: Path, greeting: bytes | None, reason: str
) -> None:
    # Dask's client waited for ever on a silent port (an HTTP server: 625 s) and read
    # another service's bytes as a frame length (MemoryError: 3.07 EiB)
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(2)
    held: list[socket.socket] = []

    def serve() -> None:
        with suppress(OSError):
            connection, _ = server.accept()
            held.append(connection)
            if greeting is not None:
                connection.sendall(greeting)

    threading.Thread(target=serve, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    documents, shared = _documents(tmp_path, 1)
    try:
        with pytest.raises(dask_executor.ConfigError) as err:
            DaskExecutor(address, timeout=0.5).run(documents, shared, resolve_model(model_names()))
    finally:
        server.close()
        for connection in held:
            connection.close()
    assert err.value.format_message().startswith(f"--scheduler {address}: cannot reach a Dask")
    assert reason in err.value.format_message()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--executor", "dask"], "--executor dask needs --scheduler ADDRESS"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --executor dask"),
    ],
)
def test_executor_options_go_together(args: list[str], message: str) -> None:
    result = run_cli(*args, "-a", "nato", "-f", "md", "-o", "-")
    assert result.code == 2
    assert message in one_error_line(result.stderr)


def test_without_the_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = run_cli("--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "-o", "-")
    assert result.code == 2
    assert "pip install 'briefgen[dask]'" in one_error_line(result.stderr)
