"""Stage 3 on a Dask distributed cluster: ``--executor dask --scheduler ADDRESS``.

Each uncached document is one task (longest first, so no worker idles at the end
behind one long article); the run's shared config travels to every worker once
(scattered, broadcast), not with each task.  A worker parses with its own spaCy
pipeline, loaded by its first task and kept for the worker's life: once per worker,
not per task (spaCy's model load costs ~1 s, a news article's parse ~0.1 s).

Dask reruns the task of a worker lost mid-run (crashed, killed, its machine gone)
on another worker, up to the scheduler's ``distributed.scheduler.allowed-failures``.
The extractions come back whole or the run stops with one line (:class:`ClusterError`,
which the pipeline does not retry source by source); briefs are made from whole
extractions only and written atomically, so a failed cluster run leaves no partial
brief.  The records are the same whichever executor made them, hence so are the bytes.

``distributed`` is an optional extra (``pip install 'briefgen[dask]'``), imported
only when this executor runs.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from briefgen.config.shared import SharedConfig
from briefgen.errors import BriefgenError, ConfigError
from briefgen.extract.run import analyze_documents
from briefgen.records import Document, Extraction

if TYPE_CHECKING:
    from spacy.language import Language

INSTALL_HINT = "--executor dask needs Dask distributed: pip install 'briefgen[dask]'"
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler before saying it is unreachable

Task = Callable[[Document, SharedConfig, str], Extraction]


class ClusterError(BriefgenError):
    """The cluster could not finish the extraction (a task's workers kept dying)."""


class DaskExecutor:
    """Extraction on a Dask cluster, one task per document.

    ``scheduler`` is an address (``tcp://host:8786``) or a connected
    ``distributed.Client`` (which is then left open).  ``task`` is what a worker runs
    per document (:func:`analyze_on_worker`).
    """

    def __init__(
        self,
        scheduler: Any,
        task: Task | None = None,
        timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.scheduler = scheduler
        self.task = task or analyze_on_worker
        self.timeout = timeout

    def run(
        self, documents: Sequence[Document], shared: SharedConfig, model: str
    ) -> list[Extraction]:
        if not documents:
            return []
        distributed = require_distributed()
        if isinstance(self.scheduler, distributed.Client):
            return self._run(self.scheduler, documents, shared, model)
        with self._connect(distributed) as client:
            return self._run(client, documents, shared, model)

    def _connect(self, distributed: Any) -> Any:
        try:
            _reachable(str(self.scheduler), self.timeout)
            return distributed.Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError, MemoryError) as exc:
            raise ConfigError(
                f"--scheduler {self.scheduler}: cannot reach a Dask scheduler there ({exc})"
            ) from exc

    def _run(
        self, client: Any, documents: Sequence[Document], shared: SharedConfig, model: str
    ) -> list[Extraction]:
        distributed = require_distributed()
        order = sorted(range(len(documents)), key=lambda i: -len(documents[i].text))
        # explicit keys: pure=False would do, but a key that names the source lets an
        # error say which one the cluster gave up on
        keys = [f"briefgen-extract-{i}-{_token()}" for i in order]
        config = client.scatter(shared, broadcast=True, hash=False)
        futures = client.map(
            self.task, [documents[i] for i in order], key=keys, shared=config, model=model
        )
        try:
            done = client.gather(futures)
        except distributed.KilledWorker as exc:
            index = order[keys.index(exc.task)] if exc.task in keys else None
            where = documents[index].source.path if index is not None else "a source"
            raise ClusterError(
                f"{where}: the Dask workers running its extraction kept dying "
                f"({exc.last_worker.address if exc.last_worker else 'unknown worker'}); "
                "the run stops here, the briefs written before are complete"
            ) from exc
        finally:
            client.cancel(futures)
        merged = dict(zip(order, done, strict=True))
        return [merged[i] for i in range(len(documents))]


def _reachable(address: str, timeout: float) -> None:
    """Raise OSError unless a Dask scheduler answers at a TCP address.  Checked before
    Dask's client, which retries a refused connection for its whole timeout and, when
    it gives up, leaves its event-loop thread running in this process; and which waits
    for ever on a port that accepts but never answers (an HTTP server), or reads
    another service's bytes as a frame length (a MemoryError of 3 EiB)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return  # other transports (inproc, ucx) are the client's to try
    host, port = parse_host_port(location, default_port=8786)
    family, kind, proto, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.settimeout(timeout)
        probe.connect(where)
        if scheme == "tcp":  # under TLS the greeting is encrypted: the client checks it
            _expect_greeting(probe)


# A scheduler greets each connection at once with its handshake: a message of one
# msgpack frame (u64 message length, u64 frame count, u64 frame lengths) naming the
# "pickle-protocol" it speaks.
GREETING_BYTES = 4096


def _expect_greeting(probe: socket.socket) -> None:
    try:
        data = _greeting(probe)
    except TimeoutError:
        raise OSError("it accepts connections but does not answer as a Dask scheduler") from None
    size = int.from_bytes(data[:8], "little")
    frames = int.from_bytes(data[8:16], "little")
    if not (0 < size <= GREETING_BYTES and 0 < frames <= 16 and b"pickle-protocol" in data):
        raise OSError("something answers there, but not a Dask scheduler")


def _greeting(probe: socket.socket) -> bytes:
    """What the peer sends first: until the message it announces is whole, it closes,
    or it announces more than a greeting can be."""
    data = b""
    while True:
        if len(data) >= 16:
            size = int.from_bytes(data[:8], "little")
            if size > GREETING_BYTES or len(data) >= 8 + size:
                return data
        chunk = probe.recv(GREETING_BYTES)
        if not chunk:
            return data
        data += chunk


def require_distributed() -> Any:
    """The ``distributed`` module, or a one-line error saying what to install."""
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(INSTALL_HINT) from exc
    return distributed


def analyze_on_worker(document: Document, shared: SharedConfig, model: str) -> Extraction:
    """One document's extraction, run on a Dask worker with that worker's pipeline."""
    from distributed import get_worker

    address = get_worker().address
    nlp, lock = worker_pipeline(address, model)
    # a worker with several threads runs tasks side by side; one spaCy pipeline is
    # not meant to parse in two threads at once
    with lock:
        return analyze_documents([document], shared, model, nlp)[0]


_pipelines: dict[tuple[str, str], tuple[Language, threading.Lock]] = {}
_loading = threading.Lock()


def worker_pipeline(address: str, model: str) -> tuple[Language, threading.Lock]:
    """The pipeline of the worker at ``address``, loaded on its first task.

    Keyed by worker, not just by process: workers sharing one process (threads of a
    ``LocalCluster(processes=False)``) each hold their own, as separate machines do.
    """
    with _loading:
        found = _pipelines.get((address, model))
        if found is None:
            found = _pipelines[(address, model)] = (load_model(model), threading.Lock())
        return found


def load_model(model: str) -> Language:
    """Load ``model`` afresh (not the per-process cache: one copy per worker)."""
    import spacy

    return spacy.load(model)


def _token() -> str:
    from uuid import uuid4

    return uuid4().hex[:12]
