"""PDF documents (brochures, admission notices, rosters) rendered by WeasyPrint from HTML templates.

The text is set in the Noto CJK fonts of Debian's fonts-noto-cjk package, found through fontconfig
and embedded (subset) in every PDF, so a reader without Chinese fonts still sees the characters.
Writing a one-page PDF costs about 0.2 s of CPU, much of it font subsetting (bench/notice_pdf.py):
fine for one document. Bulk documents go through `render_pdfs`, which writes a batch as the pages of
one PDF, so that the fonts are subset once for the batch, and splits it into one file per document.

Nothing is fetched from the network: the only resources a template may refer to are data: URLs;
stylesheets are read from the static files by name.
"""

import hashlib
import io
import logging
import re
import threading
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from portal.throttling import CACHE_ERRORS

logger = logging.getLogger(__name__)

# The families fontconfig knows from /usr/share/fonts/opentype/noto/ (fonts-noto-cjk).
SANS = '"Noto Sans CJK SC"'
SERIF = '"Noto Serif CJK SC"'

# Page setup shared by every document: A4, margins, page numbers at the foot of each page.
BASE_CSS = f"""
@page {{
  size: A4;
  margin: 22mm 18mm 20mm 18mm;
  @bottom-center {{
    content: counter(page) " / " counter(pages);
    font-family: {SANS};
    font-size: 9pt;
    color: #555;
  }}
}}
html {{ font-family: {SERIF}, {SANS}, serif; font-size: 10.5pt; line-height: 1.6; color: #000; }}
h1, h2, h3, h4, th, .sans {{ font-family: {SANS}, sans-serif; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 8mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }}
h3 {{ font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }}
p {{ margin: 0 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }}
th, td {{ border: 0.5pt solid #777; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
.num {{ text-align: right; }}
"""


def _stylesheet_text(name):
    path = finders.find(name)
    if not path:
        raise FileNotFoundError(f"static file {name!r} not found")
    return Path(path).read_text(encoding="utf-8")


# WeasyPrint's set-up for this thread: a Pango font map is not to be shared between threads.
_weasyprint = threading.local()


def _setup(css_texts):
    """The URL fetcher, the font configuration and the parsed stylesheets of `css_texts`, made once
    per thread and kept (one entry per kind of document): loading the fonts and parsing the CSS
    cost almost half as much as writing a one-page document, and they are the same for every
    document."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    if not hasattr(_weasyprint, "fonts"):
        _weasyprint.fetcher = URLFetcher(allowed_protocols={"data"})
        _weasyprint.fonts = FontConfiguration()
        _weasyprint.sheets = {}
    key = tuple(css_texts)
    if key not in _weasyprint.sheets:
        _weasyprint.sheets[key] = [
            CSS(string=text, font_config=_weasyprint.fonts, url_fetcher=_weasyprint.fetcher) for text in css_texts
        ]
    return _weasyprint.fetcher, _weasyprint.fonts, _weasyprint.sheets[key]


def _write_pdf(html, css_texts, extra_css=None):
    from weasyprint import CSS, HTML

    fetcher, fonts, sheets = _setup(css_texts)
    if extra_css:
        sheets = [*sheets, CSS(string=extra_css, font_config=fonts, url_fetcher=fetcher)]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets, font_config=fonts)


def _layout(html, css_texts):
    from weasyprint import HTML

    fetcher, fonts, sheets = _setup(css_texts)
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts)


def render_pdf(template_name, context=None, *, request=None, stylesheets=(), cache_timeout=None):
    """The PDF of `template_name` rendered with `context`, as bytes.

    `stylesheets` names static files (e.g. "css/brochure.css") applied after the base page setup;
    their `@media print` rules are the ones meant for paper. With `cache_timeout` (seconds) the PDF
    is kept in the cache under a digest of its HTML and CSS: a public document is written once
    per content, not once per visitor, and any change of content is a new entry.
    """
    html = render_to_string(template_name, context or {}, request=request)
    css_texts = [BASE_CSS, *(_stylesheet_text(name) for name in stylesheets)]
    if not cache_timeout:
        return _write_pdf(html, css_texts)
    key = "pdf:" + hashlib.sha256("\0".join([html, *css_texts]).encode()).hexdigest()
    content = _cache_call(cache.get, key)
    if content is None:
        content = _write_pdf(html, css_texts)
        _cache_call(cache.set, key, content, cache_timeout)
    return content


# Documents per call of `render_pdfs` in the bulk jobs: the larger the batch, the fewer times the
# fonts are subset, but each file carries the glyphs of its whole batch (bench/notice_pdf.py) and
# the batch's layout is held in memory until it is written.
PDF_BATCH_SIZE = 50


def render_pdfs(template_name, contexts, *, stylesheets=()):
    """The PDFs of `template_name` rendered with each of `contexts`, as a list of bytes in order:
    each document laid out on its own (its own page numbers, title and bookmarks, the same text as
    `render_pdf` gives), all written as the pages of one PDF, then split into one file each.

    Each file is whole and self-contained: its pages, only the resources those pages use, and the
    fonts subset for the batch (so somewhat larger than a file rendered alone)."""
    css_texts = [BASE_CSS, *(_stylesheet_text(name) for name in stylesheets)]
    documents = [_layout(render_to_string(template_name, context), css_texts) for context in contexts]
    if not documents:
        return []
    batch = documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
    pages = iter(PdfReader(io.BytesIO(batch)).pages)
    return [_single_pdf(document, [next(pages) for _page in document.pages]) for document in documents]


def write_pdf_parts(template_name, contexts, out, *, stylesheets=()):
    """One PDF of `template_name` rendered part by part, a part for each of `contexts` (read as
    they come, so an iterator is fine), written to the binary file `out`; returns its page count.

    Each part is laid out and written on its own and its pages copied to `out` at once, so memory
    holds one part, not the document, however long it is: a national roster runs to thousands of
    pages. The pages are numbered on across the parts, without the total ("n", not "n / N": the
    number of pages is known only at the end). Each part embeds its own font subset."""
    css_texts = [BASE_CSS, *(_stylesheet_text(name) for name in stylesheets)]
    document = _PageStream(out)
    for context in contexts:
        numbering = (
            "@page { @bottom-center { content: counter(page); } } "
            f"@page :first {{ counter-reset: page {document.pages + 1}; }}"
        )
        document.append(_write_pdf(render_to_string(template_name, context), css_texts, numbering))
    document.close()
    return document.pages


class _PageStream:
    """A PDF written to a file as the pages of other PDFs are appended (pypdf's PdfWriter would
    hold them all until the end): each PDF's pages and the objects they use are copied, renumbered,
    and forgotten; the page tree, the catalogue (the language and document information of the first
    PDF) and the cross-reference table are written at the end. The parts' outlines (bookmarks) and
    named destinations are not copied: a long table has no use for them."""

    CATALOG, PAGES = 1, 2

    def __init__(self, out):
        self.out = out
        self.offsets = {}  # object number → where it starts in the file
        self.next_number = self.PAGES + 1
        self.kids = []
        self.lang = None
        self.info = None
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages(self):
        return len(self.kids)

    def append(self, content):
        reader = PdfReader(io.BytesIO(content))
        if self.info is None:
            self.info = {key: str(value) for key, value in (reader.metadata or {}).items()}
            self.lang = reader.trailer["/Root"].get("/Lang")
        numbers, queue = {}, []

        def number_of(idnum):
            if idnum not in numbers:
                numbers[idnum] = self.next_number
                self.next_number += 1
                queue.append(idnum)
            return numbers[idnum]

        pages = {page.indirect_reference.idnum for page in reader.pages}
        self.kids += [number_of(page.indirect_reference.idnum) for page in reader.pages]
        while queue:
            idnum = queue.pop()
            copied = self._copy(reader.get_object(idnum), number_of, page=idnum in pages)
            self._write(numbers[idnum], copied)

    def _copy(self, obj, number_of, *, page=False):
        """`obj` with its references renumbered; a page's parent is this file's page tree."""
        if isinstance(obj, IndirectObject):
            return IndirectObject(number_of(obj.idnum), 0, None)
        if isinstance(obj, StreamObject):
            copy = type(obj)()
            copy._data = obj._data  # as read: still encoded, with its /Filter
            copy.update({key: self._copy(value, number_of) for key, value in obj.items()})
            return copy
        if isinstance(obj, DictionaryObject):
            return DictionaryObject(
                {
                    key: IndirectObject(self.PAGES, 0, None)
                    if page and key == "/Parent"
                    else self._copy(value, number_of)
                    for key, value in obj.items()
                }
            )
        if isinstance(obj, ArrayObject):
            return ArrayObject(self._copy(value, number_of) for value in obj)
        return obj

    def _write(self, number, obj):
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def close(self):
        self._write(
            self.PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(IndirectObject(kid, 0, None) for kid in self.kids),
                    NameObject("/Count"): NumberObject(len(self.kids)),
                }
            ),
        )
        catalog = DictionaryObject(
            {NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): IndirectObject(self.PAGES, 0, None)}
        )
        if self.lang:
            catalog[NameObject("/Lang")] = TextStringObject(str(self.lang))
        self._write(self.CATALOG, catalog)
        info = self.next_number
        self._write(
            info,
            DictionaryObject({NameObject(key): TextStringObject(value) for key, value in (self.info or {}).items()}),
        )
        size = info + 1
        xref = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % size)
        for number in range(1, size):
            self.out.write(b"%010d 00000 n\r\n" % self.offsets[number])
        self.out.write(b"trailer\n")
        DictionaryObject(
            {
                NameObject("/Size"): NumberObject(size),
                NameObject("/Root"): IndirectObject(self.CATALOG, 0, None),
                NameObject("/Info"): IndirectObject(info, 0, None),
            }
        ).write_to_stream(self.out)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)


# A name in a content stream, e.g. /F1 in "/F1 12 Tf": the resources a page draws with.
_PDF_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]+)")


def _single_pdf(document, pages):
    """The PDF of one WeasyPrint `document` from its `pages`, read from a batch's PDF."""
    used = set()
    for page in pages:
        contents = page.get_contents()
        if contents is not None:
            used.update(name.decode("latin-1") for name in _PDF_NAME.findall(contents.get_data()))
    writer = PdfWriter()
    for page in pages:
        # WeasyPrint gives every page of a PDF one resource dictionary: a page keeps what it uses.
        page[NameObject("/Resources")] = _used_resources(page["/Resources"].get_object(), used)
        writer.add_page(page)
    metadata = document.metadata
    info = {"/Producer": f"WeasyPrint {_weasyprint_version()}"}
    for key, value in (
        ("/Title", metadata.title),
        ("/Author", ", ".join(metadata.authors or ())),
        ("/Subject", metadata.description),
        ("/Keywords", ", ".join(metadata.keywords or ())),
        ("/Creator", metadata.generator),
    ):
        if value:
            info[key] = value
    writer.add_metadata(info)
    if metadata.lang:
        writer._root_object[NameObject("/Lang")] = TextStringObject(metadata.lang)
    _add_bookmarks(writer, document.make_bookmark_tree(0.75, transform_pages=True))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _used_resources(resources, used):
    kept = DictionaryObject()
    for category, entries in resources.items():
        entries = entries.get_object()
        if category == "/ColorSpace" or not isinstance(entries, DictionaryObject):
            kept[NameObject(category)] = entries
            continue
        kept[NameObject(category)] = DictionaryObject(
            {NameObject(name): value for name, value in entries.items() if name[1:] in used}
        )
    return kept


def _add_bookmarks(writer, bookmarks, parent=None):
    """WeasyPrint's bookmark tree (`Document.make_bookmark_tree`) as the file's outline."""
    for title, (page, x, y), children, state in bookmarks:
        item = writer.add_outline_item(
            title=title, page_number=page, parent=parent, fit=Fit.xyz(x, y, 0), is_open=state != "closed"
        )
        _add_bookmarks(writer, children, item)


def _weasyprint_version():
    from weasyprint import VERSION

    return VERSION


def _cache_call(method, *args):
    """`method(*args)`, or None when the cache is down: an outage costs a render, not the page."""
    try:
        return method(*args)
    except CACHE_ERRORS as error:
        logger.warning("PDF cache unavailable: %s", type(error).__name__)
        return None


def blank_pdf(width=595, height=842):
    """A valid one-page PDF with nothing on it (an A4 page by default): the stand-in document of
    the demo data and the benches, which passes the upload checks as a real scan would."""
    writer = PdfWriter()
    writer.add_blank_page(width, height)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
