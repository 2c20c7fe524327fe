"""How text we did not write (articles, data files, URLs) enters HTML, scripts and templates.

Three outputs, one rule each:

- HTML text and attributes: :func:`esc` (entities for ``& < > " '``, and for ``$``, backtick
  and backslash, since folium puts popup HTML in JavaScript template literals).
- Data for a script: :func:`script_json` — JSON whose string contents carry no ``{``, ``}``,
  ``</script`` or ``<!--`` (``\\u`` escapes instead), so no Jinja delimiter (``{{``, ``{%``, ``{#``)
  and no ``</script>`` can appear in the page source, whatever re-reads it.
- folium/branca elements: branca wraps every rendered macro in ``Element(text)``, and
  ``Element`` compiles its text as a *Jinja template* — so ``{{ ... }}`` in a popup would run on
  the server. :class:`RawElement` holds finished text and never compiles it;
  :class:`SafeMacroElement` is a ``MacroElement`` that hands its rendered header, html and
  script to the page as ``RawElement``. Every element of ours derives from it, and every
  finished string we add to a folium figure is a ``RawElement``.

Our own pages and page parts (the briefing slide, the legend, inline assets) are Jinja templates
in ``geo/present/templates/``, next to their static CSS and JS, rendered by :func:`render` with
autoescape: text we did not write goes in only as a template *value* and is escaped on output;
data for a script goes in as :func:`script_value` (``script_json``, then marked safe).
"""

from __future__ import annotations

import html
import json
import re

from branca.element import Element, Figure, MacroElement
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# ---------------------------------------------------------------------------------------------
# HTML


def esc(value: object) -> str:
    """HTML-escape text for an element's content or a quoted attribute (popups, tooltips,
    legends). ``$``, backtick and backslash become entities too (no ``${...}`` interpolation
    when the HTML sits in a JavaScript template literal)."""
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


# ---------------------------------------------------------------------------------------------
# Scripts

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Every Jinja delimiter starts with "{" ({{ {% {#); "</script" would end the <script> element
# and "<!--" changes how the browser reads the rest of it.
_UNSAFE_RE = re.compile(r"[{}]|<(?=/script|!--)", re.IGNORECASE)


def _escape_string_literal(m: re.Match[str]) -> str:
    return _UNSAFE_RE.sub(lambda c: f"\\u{ord(c.group(0)):04x}", m.group(0))


def script_json(value: object) -> str:
    """``value`` as a JavaScript literal that is safe inside ``<script>`` and inside any Jinja
    template source: ASCII JSON whose strings spell ``{``, ``}`` and the ``<`` of ``</script``
    or ``<!--`` as ``\\uXXXX``.

    The browser decodes the escapes back, so the text reads exactly as given."""
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return _JSON_STRING.sub(_escape_string_literal, text)


def script_safe(code: str) -> str:
    """Our own script or stylesheet source (e.g. vendored Leaflet), made safe to inline:
    ``</script`` / ``</style`` cannot close the element early."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# folium / branca elements


class RawElement(Element):
    """Finished text added to a branca figure as is: never compiled as a Jinja template."""

    def __init__(self, text: str):
        super().__init__()  # no template: branca would compile ``text`` with Jinja
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class SafeMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered ``header``/``html``/``script`` macros go into the page
    as :class:`RawElement` — the same places branca puts them, but never re-read as template
    source. Subclasses still write their template with Jinja; text from the data must reach it
    through attributes (``{{ this.data }}``), which Jinja prints and never evaluates."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure")
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(RawElement(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


# ---------------------------------------------------------------------------------------------
# Our templates and static files (geo/present/templates/, package data: found from any cwd)

_TEMPLATES = Environment(
    loader=PackageLoader("geo.present", "templates"),
    autoescape=True,  # every value is HTML-escaped on output unless it is Markup
    undefined=StrictUndefined,  # a misspelt name is an error, not an empty string
    trim_blocks=True,  # a line holding only {% ... %} leaves no blank line behind
    lstrip_blocks=True,
)


def render(template: str, **values: object) -> str:
    """Our template ``template`` with ``values`` (escaped on output; Markup only from
    :func:`script_value` or :func:`static_code`)."""
    return _TEMPLATES.get_template(template).render(**values)


def static_text(name: str) -> str:
    """A static file of ours from the templates folder (CSS, JS), as is."""
    source, _, _ = _TEMPLATES.loader.get_source(_TEMPLATES, name)
    return source


def script_value(value: object) -> Markup:
    """``value`` for a template's script: :func:`script_json`, and only then marked safe."""
    return Markup(script_json(value))


def static_code(code: str) -> Markup:
    """Our own script or stylesheet source (vendored Leaflet, our CSS) for a ``<script>`` or
    ``<style>`` element in a template: :func:`script_safe`, then marked safe."""
    return Markup(script_safe(code))


__all__ = [
    "esc",
    "script_json",
    "script_safe",
    "RawElement",
    "SafeMacroElement",
    "render",
    "static_text",
    "script_value",
    "static_code",
]
