"""User mistakes run by the real console script: one line, no traceback.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import os
import subprocess
from subprocess import PIPE

import pytest

from tests.helpers import (
    EXE,
    alias_bomb,
    article,
    png,
    write_article,
)


@pytest.fixture(scope="module")
def real_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[bytes]]:
    """User mistakes run by the real console script, all at once to save time."""
    root = tmp_path_factory.mktemp("real")
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.txt").write_bytes(png())
    (root / "russian.txt").write_bytes("Министр заявил, что учения завершены.\n".encode("cp1251"))
    (root / "bomb.yaml").write_text(alias_bomb())
    (root / "deep.yaml").write_text("id: d\nname: D\nx: " + "[" * 10_000 + "\n")
    (root / "tpl").mkdir()
    (root / "tpl" / "brief.md.j2").write_text("{% if %}\n")
    (root / "file").write_text("")
    ok = str(write_article(root, "ok.txt", article()))
    rows = {
        "empty": ["empty.txt"],
        "binary": ["photo.txt"],
        "encoding": ["russian.txt"],
        "missing": ["gone.txt"],
        "directory": ["tpl/"],
        "alias-bomb": ["-a", "bomb.yaml", ok],
        "deep-yaml": ["-a", "deep.yaml", ok],
        "unknown-audience": ["-a", "navy", ok],
        "broken-template": ["--templates", "tpl", ok],
        "out-is-a-file": ["-o", "file", ok],
    }
    env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}  # module scope: no own_cache
    procs = {
        name: subprocess.Popen(
            [str(EXE), "-f", "md", *args], cwd=root, env=env, stdout=PIPE, stderr=PIPE
        )
        for name, args in rows.items()
    }
    return {
        name: subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate())
        for name, p in procs.items()
    }


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("empty", 1),
        ("binary", 1),
        ("encoding", 1),
        ("missing", 1),
        ("directory", 1),
        ("alias-bomb", 2),
        ("deep-yaml", 2),
        ("unknown-audience", 2),
        ("broken-template", 2),
        ("out-is-a-file", 1),
    ],
)
def test_user_mistakes_in_a_real_process_are_one_line_without_traceback(
    real_runs: dict[str, subprocess.CompletedProcess[bytes]], row: str, code: int
) -> None:
    proc = real_runs[row]
    stderr = proc.stderr.decode()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert all(line.startswith("briefgen: error: ") for line in stderr.splitlines()), stderr
