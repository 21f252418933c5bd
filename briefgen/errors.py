"""User-facing errors: one line on stderr, a documented exit status, no traceback."""

from __future__ import annotations

import click


class BriefgenError(click.ClickException):
    """A failure while processing input (exit status 1)."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        # a config file with several errors gives one prefixed line per error; split on
        # "\n" only: splitlines() also splits on \x1c-\x1e and \u2028 in a quoted key
        for line in self.format_message().split("\n"):
            click.echo(f"briefgen: error: {printable(line)}", err=True)


class ConfigError(BriefgenError):
    """Bad usage or configuration: a profile, template or option (exit status 2)."""

    exit_code = 2


class SourceError(BriefgenError):
    """A source document that cannot be read or holds no usable text."""


def printable(text: str) -> str:
    """``text`` with control and format characters escaped (``\\x1b``, ``\\u202e``).

    Messages quote file names and article text (front matter values); escaping
    keeps them from moving the cursor, recolouring or retitling the user's
    terminal, or reordering the line (bidi overrides).
    """
    return "".join(
        ch if ch.isprintable() or ch == "\t" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class FormatUnavailable(BriefgenError):
    """A format that cannot be written on this machine (a system library is
    missing): the run writes the other formats and ends with exit status 1."""
