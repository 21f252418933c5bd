"""Shared configs (topics) with values that would match everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import article, one_error_line, run_cli, write_article


@pytest.mark.parametrize("key", ["phrases", "lemmas", "entities"])
@pytest.mark.parametrize("value", ['""', '"   "'])
def test_empty_topic_phrase_is_refused_with_line(tmp_path: Path, key: str, value: str) -> None:
    # "" is in every sentence: one empty phrase put every fact on the topic
    configs = tmp_path / "cfg"
    configs.mkdir()
    (configs / "topics.yaml").write_text(
        f"topics:\n  military:\n    name: Military\n    {key}: [army, {value}]\n"
    )
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("--configs", str(configs), "-a", "nato", "-o", "-", "-f", "md", str(source))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {configs}/topics.yaml:4: topics.military.{key}[1]: "
        "must not be empty or only spaces\n"
    )
