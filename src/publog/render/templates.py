"""Pages -> bytes: Jinja2 templates of the theme, feeds, and plain text files."""

from __future__ import annotations

import contextvars
import functools
import re
import traceback
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import unquote
from html import escape

import jinja2
from markupsafe import Markup

from ..markdown import embeds, highlights
from . import feeds, headings
from ..read import files
from ..privacy import images
from ..site import redirects
from ..privacy.guard import Guard
from ..journal.links import PRIVATE, WIKI_KEY
from ..markdown.body import ENTRY_LINK, FILE_LINK, WIKI_LINK
from ..site.cards import Digest
from ..site.pages import COPY, DRAWN, FEED, TEMPLATE, TEXT, Card, Page
from ..problems import JournalError, Problem, error
from ..settings.theme import Theme
from ..urls import Urls

# A wiki link that shows its target's name: the whole link, so the name can go if the target is private.
_NAMED_WIKI = re.compile(r'<a href="' + WIKI_LINK + r'([^"#]*)(#[^"]*)?" data-publog-named="">([^<]*)</a>')
_PLACEHOLDER = re.compile(r'(href|src)="(' + ENTRY_LINK + "|" + FILE_LINK + "|" + WIKI_LINK + r')([^"#]*)(#[^"]*)?"')


def resolve_links(html: str, found: Iterable[tuple[str, str | None]], urls: Urls, absolute: bool = False) -> str:
    """Replace the placeholders of cached HTML with URLs of this build (``found``: an entry's links)."""
    if "publog-" not in html:
        return html
    links: Mapping[str, str | None] = dict(found)
    make = urls.absolute if absolute else urls.page

    def replace(match: re.Match[str]) -> str:
        attr, scheme, target, fragment = match.group(1), match.group(2), unquote(match.group(3)), match.group(4) or ""
        url = links.get(WIKI_KEY + target if scheme == WIKI_LINK else target)
        if url:
            return f'{attr}="{make(url)}{fragment}"'
        if scheme == FILE_LINK:
            return f'{attr}="{make(target)}{fragment}"'
        # A link to a missing or unpublished entry keeps its text but goes nowhere.
        return 'class="missing-link"'

    def named(match: re.Match[str]) -> str:
        target, fragment, text = unquote(match.group(1)), match.group(2) or "", match.group(3)
        url = links.get(WIKI_KEY + target)
        if url:
            return f'<a href="{make(url)}{fragment}">{text}</a>'
        return f'<a class="missing-link">{"a private note" if url == PRIVATE else text}</a>'

    html = _NAMED_WIKI.sub(named, html)
    return _PLACEHOLDER.sub(replace, html)


def _template_problem(exc: Exception, name: str) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(exc.filename or exc.name or name, exc.lineno or 1, f"template error: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    where = frames[-1] if frames else None
    return error(where.filename if where else name, (where.lineno or 1) if where else 1, f"template error: {exc}")


class _ThemeLoader(jinja2.FileSystemLoader):
    """Remembers which templates do not exist: a theme lookup that misses is tried for every page
    (the optional `partials/kind-NAME.html`), and Jinja caches only templates it found."""

    def __init__(self, folders: list[str]):
        super().__init__(folders)
        self._missing: set[str] = set()

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        if template in self._missing:
            raise jinja2.TemplateNotFound(template)
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            self._missing.add(template)
            raise


def templates(theme: Theme, digest: str) -> jinja2.Environment:
    """The theme's templates, each compiled when first used, for every build of this version
    (``digest``) of the theme in this process: compiling them costs more than rendering a small site."""
    return _environment(tuple(theme.template_dirs), digest)


class _Environment(jinja2.Environment):
    """Reads the pages stage's dicts as templates do (``site.title``) without first asking the dict for
    an attribute: Jinja's way raises and catches an AttributeError each time, which made up a tenth of
    rendering a site. A name that is an attribute of dicts (``items``) still means the attribute."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


@functools.lru_cache(maxsize=1)  # one version: a template saved while it compiled is never brought back
def _environment(folders: tuple[str, ...], digest: str) -> jinja2.Environment:
    env = _Environment(
        loader=_ThemeLoader(list(folders)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one version of each template: no stat per page
    )
    env.globals["card"] = _card
    env.filters["code_spans"] = code_spans
    return env


_CODE_SPAN = re.compile(r"(`+) ?(.+?) ?\1(?!`)")


def code_spans(text: str) -> Markup:
    """Text from a summary or a backlink's sentence, its `code spans` shown as code."""
    escaped = str(escape(text))
    if "`" not in escaped:
        return Markup(escaped)
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(2)}</code>", escaped))


# The renderer of the page being rendered: templates are shared by every build of a theme in a process,
# so their `card` global asks it (its cards are of one build's entries and settings).
_rendering: contextvars.ContextVar[Renderer] = contextvars.ContextVar("publog_renderer")


def _card(item: Card) -> Markup:
    return _rendering.get().card(item)


class Renderer:
    """Renders pages of one build; templates are compiled once and shared by every page."""

    def __init__(self, theme: Theme, urls: Urls, body_html: Callable[[str], str], root: str = "", digest: str = "",
                 cards: dict[str, Markup] | None = None):
        """``digest``: the theme's (Theme.digest), when the caller knows it already; ``cards``: the HTML of
        cards by fingerprint, which a long-running caller keeps for every build of the same theme and settings."""
        self.root = root
        self.urls = urls
        self.body_html = body_html
        self.env = templates(theme, digest or theme.digest())
        self.guard = Guard()  # the final scan of what is rendered; the build sets what it looks for
        self.drawn_card: Callable[[str], bytes] = _no_cards  # the build's: a drawn social card's PNG by its site file
        self._cards: dict[str, Markup] = {} if cards is None else cards
        self._in_feeds: dict[tuple[Any, ...], Mapping[str, bytes] | None] = {}  # items' content in feeds (_in_feed)

    def _shown(self, path: str) -> str:
        """A source file as problems name it: relative to the journal when it is in it."""
        prefix = self.root.rstrip("/") + "/"
        return path[len(prefix):] if self.root and path.startswith(prefix) else path

    def card(self, item: Card) -> Markup:
        """An entry as lists show it; rendered once per build and process, it appears on many pages."""
        html = self._cards.get(item.fingerprint)
        if html is None:
            html = Markup(self.env.get_template("partials/entry-card.html").render(item=item))
            self._cards[item.fingerprint] = html
        return html

    def body(self, card: Card, absolute: bool = False) -> str:
        def resolve(html: str, links: Iterable[tuple[str, str | None]]) -> str:
            return resolve_links(html, links, self.urls, absolute)

        # Embedded notes first, each with its own links; then this entry's links, the embeds' among them.
        return resolve(embeds.expand(self.body_html(card.digest), card.embeds, self.body_html, resolve), card.links)

    def _in_feed(self, card: Card | Digest) -> Mapping[str, bytes] | None:
        """An item's content as each feed format writes it (feeds.contents): a week's digest's own HTML; an
        entry's, ending with the way to respond as its page does. Made once a build however many feeds (of
        its topics, its kind, in three formats) carry it; only the escaped forms are kept."""
        key: tuple[Any, ...] = (card.content_html,) if isinstance(card, Digest) else (card.fingerprint, card.digest, card.respond)
        if key not in self._in_feeds:
            if isinstance(card, Digest):
                html = card.content_html
            else:
                html = highlights.unhighlighted(self.body(card, absolute=True))
                if card.respond is not None:
                    html += f'\n<p><a href="{escape(card.respond.url)}">{escape(card.respond.text)}</a></p>'
            self._in_feeds[key] = feeds.contents(html)
        return self._in_feeds[key]

    def prepare(self, pages: list[Page]) -> None:
        """Make what many of ``pages`` share before they are dealt to processes, so that it is made once:
        the content of the entries their feeds carry, escaped for each format."""
        for page in pages:
            if page.kind == FEED:
                for card in page.context["entries"]:
                    self._in_feed(card)

    def render(self, page: Page) -> bytes:
        if page.kind == TEMPLATE:
            context = dict(page.context)
            entry = context.get("entry")
            if entry is not None:
                body = self.body(entry)
                context["content"] = Markup(headings.linked(body))
                context["toc"] = headings.contents(body) if entry.toc else ()
            token = _rendering.set(self)
            try:
                return self.env.get_template(page.name).render(context).encode("utf-8")
            except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
                raise JournalError([_template_problem(exc, page.name)]) from None
            finally:
                _rendering.reset(token)
        if page.kind == FEED:
            return feeds.render(page.name, page.context, self.urls, self._in_feed)
        if page.kind == TEXT:
            return _text(page)
        if page.kind == DRAWN:
            return self.drawn_card(page.name)
        if page.kind == COPY:
            data = files.read_bytes(page.name)  # listed as a file: never waits on a pipe put in its place
            if page.file in self.guard.untrusted:  # a member's SVG, which would run on the site's origin
                try:
                    data = images.sanitised_svg(data, self._shown(page.name))
                except ValueError as exc:  # changed since it was listed
                    raise JournalError([error(self._shown(page.name), 1, str(exc).removeprefix(self._shown(page.name)).lstrip())]) from None
            if not images.is_image(data):
                return data
            try:
                return images.clean(data, self._shown(page.name))  # no location, no camera serial
            except ValueError as exc:
                raise JournalError([error(self._shown(page.name), 1, str(exc).removeprefix(self._shown(page.name)).lstrip(": ")
                                          or "is not a valid image")]) from None
        raise ValueError(f"unknown page kind {page.kind}")


def _no_cards(name: str) -> bytes:
    raise ValueError(f"no social card {name} was drawn for this renderer")


def _text(page: Page) -> bytes:
    if page.name == "sitemap":
        rows = "".join(
            f"<url><loc>{escape(url, quote=False)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>\n"
            for url, lastmod in page.context["urls"]
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</urlset>\n"
        ).encode("utf-8")
    if page.name == "opml":
        return feeds.opml(page.context["title"], page.context["groups"])
    if page.name == "robots":
        return f"User-agent: *\nAllow: /\nSitemap: {page.context['sitemap']}\n".encode("utf-8")
    if page.name == "redirect":
        return redirects.page(page.context["url"], page.context["title"], page.context["site"]["language"])
    raise ValueError(f"unknown text page {page.name}")
