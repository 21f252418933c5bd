"""User-facing errors: one line on stderr, a documented exit status, no traceback."""

from __future__ import annotations

import click


class BriefgenError(click.ClickException):
    """A failure while processing input (exit status 1)."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"briefgen: error: {self.format_message()}", err=True)


class ConfigError(BriefgenError):
    """Bad usage or configuration: a profile, template or option (exit status 2)."""

    exit_code = 2


class SourceError(BriefgenError):
    """A source document that cannot be read or holds no usable text."""
