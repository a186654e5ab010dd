"""HTML that escapes by default: every value put into a template or a fragment is escaped unless it is
already ``Html`` (markup built here from escaped parts). User text can only ever reach a page as text."""

from __future__ import annotations

import functools
import html
import string
from collections.abc import Iterable
from importlib import resources


class Html(str):
    """Markup that is safe to put in a page as it is: made only by ``fmt``, ``join`` and ``render``."""

    __slots__ = ()


def esc(value: object) -> Html:
    """A value as text in a page (quotes too, so it is safe in an attribute); Html stays as it is."""
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=True))


def _arg(value: object) -> object:
    """Numbers as they are (so ``{:.1f}`` works; they hold no markup), everything else escaped."""
    return value if isinstance(value, int | float) else esc(value)


def fmt(template: str, *args: object, **kwargs: object) -> Html:
    """``str.format`` on a literal template with every argument escaped."""
    return Html(template.format(*(_arg(a) for a in args), **{k: _arg(v) for k, v in kwargs.items()}))


def join(parts: Iterable[Html], sep: str = "") -> Html:
    return Html(sep.join(esc(p) for p in parts))


@functools.cache
def _template(name: str) -> string.Template:
    return string.Template(resources.files("bot.web").joinpath(f"templates/{name}").read_text("utf-8"))


def render(name: str, **values: object) -> Html:
    """A page from ``templates/<name>`` (``$name`` placeholders), each value escaped unless Html."""
    return Html(_template(name).substitute({k: esc(v) for k, v in values.items()}))
