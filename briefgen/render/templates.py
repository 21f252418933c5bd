"""Jinja environments: user folders first, then the built-ins, plus ``!builtin/``.

A user's ``brief.md.j2`` can ``{% extends "!builtin/brief.md.j2" %}`` and override
a single block (Pelican's ``!simple/`` idea).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen import __version__
from briefgen.errors import BriefgenError, ConfigError
from briefgen.files import private_folder
from briefgen.render.wording import format_date, format_distance, format_range
from briefgen.resources import builtin_dir

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}!|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.M)
_ENTITY = re.compile(r"&(?=#?\w+;)")


# Every character some reader takes as a line break: Markdown (\r, \r\n), str.splitlines
# (\f, \v, \x1c-\x1e, NEL, U+2028/2029), browsers and PDF layout.
_BREAKS = str.maketrans(dict.fromkeys("\r\f\v\x1c\x1d\x1e\x85\u2028\u2029", "\n"))
_BREAK_RUN = re.compile(r"\n\s*")
# what is left of C0 and C1 after the breaks (tab stays): ESC sequences would steer the
# terminal of whoever cats the Markdown brief or prints it with -o -.  And the bidi
# embeddings, overrides and isolates (U+202A-202E, U+2066-2069): one in a publisher's
# name reversed briefgen's own citation, grade and date after it on screen ("Reuters
# \u202e" showed "(2B · 1¶ 1S)"). The marks U+200E/200F stay: right-to-left text needs
# them and they reorder nothing beyond their neighbours.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(value: Any) -> str:
    """``value`` as one line of text: every kind of line break (and the space after it)
    becomes one space, any other control character but tab U+FFFD."""
    return _CONTROL.sub("\ufffd", _BREAK_RUN.sub(" ", str(value).translate(_BREAKS)))


def multi_line(value: Any) -> str:
    """``value`` with its lines kept: every kind of line break becomes ``\\n``, any other
    control character but tab U+FFFD (source text shown as written, line by line)."""
    return _CONTROL.sub("\ufffd", str(value).replace("\r\n", "\n").translate(_BREAKS))


def source_lines(value: Any) -> Markup:
    """Source text for an HTML page, escaped, its lines kept (:func:`multi_line`)."""
    return Markup.escape(multi_line(value))


def _html_value(value: Any) -> Any:
    """Jinja ``finalize`` of HTML templates: a plain text value is shown as one line
    (:func:`one_line`); markup the template marked safe (the body, the stylesheet,
    ``css_string``) and non-text values are left as they are."""
    return one_line(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def md_escape(value: Any) -> str:
    """Make untrusted text inert in Markdown: no links, images, emphasis, HTML or entities.

    The text becomes one line first: a line break of any kind (a carriage return in
    front matter, say) could otherwise end the heading or list item it is in and start
    a block of its own (a made-up section, a rule, a code block).
    """
    text = _MD_SPECIAL.sub(r"\\\1", one_line(value))
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


@jinja2.pass_context
def worded(ctx: jinja2.runtime.Context, item: Any) -> str:
    """An item's sentence worded for the audience (units, dates, acronyms)."""
    return str(ctx["wording"].apply(item.fact, getattr(item, "repairs", ())))


def source_anchor(number: int | str) -> str:
    """The id of source ``number`` in the Sources list: what a citation links to."""
    return f"source-{number}"


def passage_anchor(number: int | str, paragraph: int | str) -> str:
    """The id of paragraph ``paragraph`` of source ``number`` in the cited passages
    of an HTML or PDF brief (:mod:`briefgen.render.passages`): what a citation links to."""
    return f"s{number}-p{paragraph}"


@jinja2.pass_context
def cite(ctx: jinja2.runtime.Context, item: Any) -> str:
    """``S1 ¶3``: where an item's (or a fact's) sentence comes from. An item that
    stands for facts of several sources cites each place: ``S1 ¶2; S3 ¶1``.

    The context's ``cite_style`` (set by the HTML renderer) keeps each ``S1 ¶3`` on
    one line (``unbroken``, a no-break space) and links it to the cited paragraph in
    the brief's cited passages (``link``).
    """
    ids = [s.id for s in ctx["brief"].sources]
    facts = getattr(item, "evidence", None) or (getattr(item, "fact", item),)
    places = dict.fromkeys((ids.index(f.doc) + 1, f.paragraph + 1) for f in facts)
    style = ctx.get("cite_style")
    return "; ".join(_place(number, paragraph, style) for number, paragraph in places)


@jinja2.pass_context
def corroborated(ctx: jinja2.runtime.Context, item: Any) -> str:
    """`` · 3 of 5 publishers``: how many independent publishers report the item, in
    the profile's words (``corroboration.label``); empty for a brief of one source
    and for an item only one publisher reports (its citation says as much)."""
    label = corroboration_label(item, ctx["profile"])
    return " · " + md_escape(label) if label else ""


def corroboration_label(item: Any, profile: Any) -> str:
    """``3 of 5 publishers`` in the profile's words, or empty (see :func:`corroborated`)."""
    corroboration = getattr(item, "corroboration", None)
    cfg = profile.corroboration
    if corroboration is None or not cfg.show or corroboration.publishers < 2:
        return ""
    grade = getattr(item, "grade", None)
    confirmed = grade is not None and grade.credibility == 1 and cfg.confirmed_label
    # plain replacement, not str.format: a profile string is data, not a format program
    label = (cfg.confirmed_label if confirmed else cfg.label) or cfg.label
    label = label.replace("{publishers}", str(corroboration.publishers))
    return str(label.replace("{of}", str(corroboration.of)))


def _place(number: int, paragraph: int, style: str | None) -> str:
    if style is None:
        return f"S{number} ¶{paragraph}"
    ref = f"S{number}\u00a0¶{paragraph}"  # a line never ends between source and paragraph
    return f"[{ref}](#{passage_anchor(number, paragraph)})" if style == "link" else ref


def _css_char(ch: str) -> str:
    if ch in '\\"':
        return "\\" + ch
    # < and > could close the <style> element; control characters include the CSS
    # newlines (\n, \r, \f), which end a string and let the rest be read as rules
    if ch in "<>" or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
        return f"\\{ord(ch):x} "
    return ch


def css_string(value: Any) -> Markup:
    """A quoted CSS string that cannot close the string, the rule or the <style> element,
    one line of text (:func:`one_line`: no bidi override turns the margin text round)."""
    return Markup('"' + "".join(_css_char(ch) for ch in one_line(value)) + '"')


def make_environment(
    fmt: str, user_dirs: Sequence[Path], cache_dir: Path | None = None
) -> jinja2.Environment:
    """The environment for a format (``md`` or ``html``) and template search path.

    Markdown does not autoescape, HTML does. One environment is kept per format and
    path until :func:`forget_environments` (each build starts with it), so each
    template is compiled once per run however many briefs use it. Callers must not
    change it. With ``cache_dir``, compiled templates are kept there between runs.
    """
    return _environment(fmt, tuple(Path(d) for d in user_dirs), cache_dir)


def forget_environments() -> None:
    """Start afresh: a template added to a user folder since the last build is found
    (Jinja's reload check only looks at the file it loaded before)."""
    _environment.cache_clear()


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, so a run loads them instead of compiling (about
    half of re-rendering a brief from the extraction cache).

    Jinja keys an entry by template name and file and checks the source's hash and
    its bytecode format and Python's version, so an edited template is compiled
    afresh. The folder name adds the format (the same file compiled with Markdown
    and HTML settings must not share an entry) and the briefgen and Jinja versions
    (which set those settings and the code generated).

    Entries are code: they are used only from a folder that only this user can
    write (see :func:`private_folder`). Like the extraction cache, one that cannot be
    read or written is skipped, never an error.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(cache_dir: Path, fmt: str) -> TemplateCache | None:
    """The compiled-template cache for ``fmt`` under ``cache_dir``, or None when its
    folder cannot be made private."""
    tag = hashlib.sha256(f"{__version__} {jinja2.__version__} {fmt}".encode()).hexdigest()
    folder = cache_dir / "templates" / f"{fmt}-{tag[:12]}"
    return TemplateCache(str(folder)) if private_folder(folder, below=cache_dir) else None


# The HTML renderer's view of the Markdown brief: the audience's .md template
# (``parent``) with the blocks the HTML page template owns emptied.
BODY_TEMPLATE = "(html body).md.j2"
PAGE_BLOCKS = ("marking", "title", "meta", "footer")
_BODY_SOURCE = "{% extends parent %}" + "".join(
    f"{{% block {name} %}}{{% endblock %}}" for name in PAGE_BLOCKS
)


class _FolderLoader(jinja2.FileSystemLoader):
    """Templates of user folders, each file inside its folder once links are followed.

    A template folder may be untrusted (a ``briefgen.yaml`` in someone's checkout
    names it), and Jinja follows symbolic links: ``brief.md.j2 -> /etc/passwd`` or
    ``~/.ssh/id_rsa`` printed that file into a brief that then gets shared.
    """

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        folders = [os.path.realpath(folder) for folder in self.searchpath]
        if not any(real.startswith(os.path.join(folder, "")) for folder in folders):
            raise ConfigError(
                f"{filename}: a template may not link outside its folder (it leads to {real})"
            )
        return source, filename, uptodate


@lru_cache(maxsize=32)
def _environment(
    fmt: str, user_dirs: tuple[Path, ...], cache_dir: Path | None
) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(builtin_dir("templates")))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({BODY_TEMPLATE: _BODY_SOURCE} if fmt == "md" else {}),
            _FolderLoader([str(d) for d in user_dirs]),
            builtin,
            jinja2.PrefixLoader({"!builtin": builtin}, delimiter="/"),
        ]
    )
    markdown = fmt == "md"
    # Sandboxed: templates may come from an untrusted folder (a briefgen.yaml in the
    # working folder names them), and plain Jinja lets a template reach Python itself
    # ({{ cycler.__init__.__globals__.os }}). The sandbox allows the brief's data, the
    # filters, tests, loops and macros, and refuses underscore attributes, internals
    # of functions and frames, and changes to lists and dicts (docs/customizing.md).
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=not markdown,
        trim_blocks=markdown,
        lstrip_blocks=markdown,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=None if markdown else _html_value,
        bytecode_cache=template_cache(cache_dir, fmt) if cache_dir else None,
    )
    env.filters.update(
        md=md_escape,
        worded=worded,
        cite=cite,
        corroborated=corroborated,
        css_string=css_string,
        lines=source_lines,
        date=format_date,
        daterange=format_range,
        distance=format_distance,
    )
    return env


def search_path(user_dirs: Sequence[Path]) -> list[str]:
    return [*(str(d) for d in user_dirs), str(builtin_dir("templates"))]


def render_template(
    env: jinja2.Environment, names: list[str], context: dict[str, Any], user_dirs: Sequence[Path]
) -> str:
    """Render the first template of ``names`` that exists.

    Raises:
        ConfigError: missing template (with the search path), syntax error or
            undefined variable, naming the template file and line.
    """
    # a user's generic template beats a built-in audience-specific one
    mine = [n for n in names if any((Path(d) / n).is_file() for d in user_dirs)]
    try:
        template = env.select_template([*mine, *names])
        return template.render(context)
    except jinja2.TemplateNotFound as exc:
        path = ", ".join(search_path(user_dirs))
        missing = " or ".join(getattr(exc, "templates", None) or [exc.name or "?"])
        raise ConfigError(f"template {missing} not found in [{path}]") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"{_failing_template(exc)}: template error: {exc.message}") from None
    except BriefgenError:
        raise
    except Exception as exc:  # a template's own runtime error: {{ 1 / 0 }}, a bad call
        where = _failing_template(exc)
        raise ConfigError(f"{where}: template error: {type(exc).__name__}: {exc}") from exc


def _failing_template(exc: BaseException) -> str:
    """The template file and line where rendering failed, from the traceback."""
    tb = exc.__traceback__
    where = "template"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            lineno = tb.tb_frame.f_globals.get("__jinja_template__")
            line = lineno.get_corresponding_lineno(tb.tb_lineno) if lineno else tb.tb_lineno
            where = f"{filename}:{line}"
        tb = tb.tb_next
    return where
