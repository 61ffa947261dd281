"""One page model read from pdfium: characters with boxes and font size, ruling edges, page size.

pdfplumber reads a page through pdfminer's layout analysis in pure Python; pdfium (pypdfium2,
already installed as a pdfplumber dependency) reads the same content stream in C. This module
fills, once per page, the objects :mod:`extractors.native.pdf` reads (the names and geometry of
pdfplumber's, so the rest of the reader and pdfplumber's table finder run on them unchanged):

* ``chars``: one dict per printed glyph — text, x0, x1, top, bottom (pdfminer's box: the advance
  width wide, the font size tall, from the baseline's descent), size, matrix, upright — in
  content-stream order (pdfium's text page reorders text objects along a line; the order of the
  page objects is restored);
* ``edges``: the edges of every painted path as pdfplumber derives them (pdfminer's decision
  line / rect / curve per subpath, then ``utils.obj_to_edges``), lines first, then rects, then
  curves, each in content order;
* ``width``, ``height``, ``bbox`` (the MediaBox), ``find_tables()`` (pdfplumber's TableFinder on
  these edges, default settings: the lines strategy).

pdfium's text page differs from pdfminer's characters in known ways, and a page where one of
them shows is read with pdfplumber instead (:func:`read_page` returns the reason):

* a text object pdfium leaves out: an overprinted copy (fake bold; pdfium drops a text object
  equal to one just before it, and a glyph repeated within 0.07 em), or a run of only spaces
  (zero width). A spaces-only object is kept as one space character at its place (a space
  separates words; where exactly, and how many, never matters to the reader); any other
  object left out sends the page to pdfplumber;
* a rotated or mirrored character, a rotated page, a MediaBox not at the origin;
* a character without Unicode mapping (pdfminer prints ``(cid:N)`` for those).
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Optional

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_GEN_WHITESPACE = {" ", "\r", "\n", "\x02"}


@dataclass
class PageModel:
    page_number: int
    width: float
    height: float
    chars: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    reader: str = "pdfium"

    @property
    def bbox(self) -> tuple:
        return (0, 0, self.width, self.height)

    def find_tables(self) -> list:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables


def open_pdf(data: bytes):
    """A pypdfium2 document over the bytes (the caller keeps ``data`` alive with it)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def page_count(doc) -> int:
    return len(doc)


def _objects(raw, get_count, get_obj, matrix, out: list) -> None:
    """Page objects in content order, forms opened: (object, kind, matrix of its form)."""
    import pypdfium2.raw as R

    for i in range(get_count(raw)):
        obj = get_obj(raw, i)
        kind = R.FPDFPageObj_GetType(obj)
        if kind == R.FPDF_PAGEOBJ_FORM:
            m = R.FS_MATRIX()
            R.FPDFPageObj_GetMatrix(obj, m)
            fm = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            _objects(obj, R.FPDFFormObj_CountObjects, R.FPDFFormObj_GetObject, fm, out)
        elif kind in (R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_PATH):
            out.append((obj, kind, matrix))


def _mul(m1, m0) -> tuple:
    """m1 then m0 (pdfminer's mult_matrix(m1, m0))."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _apply(m, x, y) -> tuple:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def read_page(doc, index: int, descents: dict) -> tuple[Optional[PageModel], Optional[str]]:
    """(page model, None) or (None, why pdfium's reading of this page is not used)."""
    import pypdfium2.raw as R

    page = R.FPDF_LoadPage(doc.raw, index)
    if not page:
        return None, "pdfium cannot load the page"
    tp = None
    try:
        if R.FPDFPage_GetRotation(page):
            return None, "rotated page"
        l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        if not R.FPDFPage_GetMediaBox(page, l, b, r, t):
            l.value, b.value = 0.0, 0.0
            r.value, t.value = R.FPDF_GetPageWidthF(page), R.FPDF_GetPageHeightF(page)
        if l.value or b.value:
            return None, "MediaBox not at the origin"
        width, height = float(r.value), float(t.value)
        objs: list = []
        _objects(page, R.FPDFPage_CountObjects, R.FPDFPage_GetObject, _IDENTITY, objs)
        tp = R.FPDFText_LoadPage(page)
        if not tp:
            return None, "pdfium cannot read the text layer"
        chars, why = _chars(R, tp, objs, height, descents)
        if why:
            return None, why
        edges = _edges(R, objs, height)
        return PageModel(index + 1, width, height, chars, edges), None
    finally:
        if tp:
            R.FPDFText_ClosePage(tp)
        R.FPDF_ClosePage(page)


def _addr(p) -> int:
    return ctypes.cast(p, ctypes.c_void_p).value or 0


_TEXT_OBJECT_ADDR = None


def _text_object_addr():
    """FPDFText_GetTextObject returning the address (an int) instead of a pointer object: the
    per-character lookup of the character's text object without a ctypes cast."""
    global _TEXT_OBJECT_ADDR
    if _TEXT_OBJECT_ADDR is None:
        import pypdfium2.raw as R

        proto = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
        _TEXT_OBJECT_ADDR = proto(ctypes.cast(R.FPDFText_GetTextObject, ctypes.c_void_p).value)
    return _TEXT_OBJECT_ADDR


def _chars(R, tp, objs, height, descents) -> tuple[list, Optional[str]]:
    n = R.FPDFText_CountChars(tp)
    order = {}
    for k, (obj, kind, _) in enumerate(objs):
        if kind == R.FPDF_PAGEOBJ_TEXT:
            order[_addr(obj)] = k
    rect = R.FS_RECTF()
    m = R.FS_MATRIX()
    get_u, get_obj, loose = R.FPDFText_GetUnicode, R.FPDFText_GetTextObject, R.FPDFText_GetLooseCharBox
    is_gen, get_size, get_matrix = R.FPDFText_IsGenerated, R.FPDFText_GetFontSize, R.FPDFText_GetMatrix
    per_obj: dict[int, tuple] = {}  # text object → (size, a, b, c, d, f, descent) of its characters
    fonts: dict[int, float] = {}
    out = []
    obj_addr = _text_object_addr()
    tp_addr = _addr(tp)
    for i in range(n):
        u = get_u(tp, i)
        ch = chr(u) if u else ""
        if ch in _GEN_WHITESPACE or not ch:
            if is_gen(tp, i):
                continue
            if not ch or ch == "\x02":
                return [], "a character without Unicode mapping"
        if 0xE000 <= u <= 0xF8FF or u in (0xFFFD, 0xFFFE) or R.FPDFText_HasUnicodeMapError(tp, i):
            return [], "a character without Unicode mapping"
        key = obj_addr(tp_addr, i) or 0
        info = per_obj.get(key)
        if info is None:
            R.FPDFText_GetMatrix(tp, i, m)
            fs = get_size(tp, i)
            em = _descent(R, get_obj(tp, i), fonts, descents)
            if em is None:
                return [], "a font whose descent is not known"
            info = (fs, m.a, m.b, m.c, m.d, m.f, m.d * fs * em)
            per_obj[key] = info
        fs, a, b, c, d, f, desc = info
        if b or c or a <= 0 or d <= 0:
            return [], "rotated or mirrored text"
        loose(tp, i, rect)
        size = d * fs
        y0 = f + desc
        x0, x1 = rect.left, rect.right
        y1 = y0 + size
        top = height - y1
        out.append((order.get(key, -1), i, {
            "text": ch, "x0": x0, "x1": x1, "top": top, "bottom": height - y0, "doctop": top,
            "y0": y0, "y1": y1, "width": x1 - x0, "height": size, "size": size, "upright": True,
            "matrix": (a, b, c, d, x0, f)}))
    seen = {o for o, _, _ in out}
    for obj, kind, fm in objs:
        if kind != R.FPDF_PAGEOBJ_TEXT or order[_addr(obj)] in seen:
            continue
        # a text object the text page left out
        bl, bb, br, bt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        R.FPDFPageObj_GetBounds(obj, bl, bb, br, bt)
        if abs(br.value - bl.value) >= 0.01:
            return [], "pdfium leaves out an overprinted text object"
        fsz = ctypes.c_float()
        R.FPDFTextObj_GetFontSize(obj, fsz)
        R.FPDFPageObj_GetMatrix(obj, m)
        size = m.d * fsz.value
        x0 = bl.value
        y0 = bb.value
        out.append((order[_addr(obj)], -1, {
            "text": " ", "x0": x0, "x1": x0, "top": height - (y0 + size), "bottom": height - y0,
            "doctop": height - (y0 + size), "y0": y0, "y1": y0 + size, "width": 0.0, "height": size,
            "size": size, "upright": True, "matrix": (m.a, m.b, m.c, m.d, x0, m.f)}))
    out.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in out], None


def _descent(R, obj, fonts: dict, descents: dict) -> Optional[float]:
    """pdfminer's descent of the object's font in em (see :func:`font_descents`), by the font's
    BaseFont; None when the name is not known or names fonts of different descents."""
    font = R.FPDFTextObj_GetFont(obj)
    key = _addr(font)
    if key not in fonts:
        buf = ctypes.create_string_buffer(256)
        n = R.FPDFFont_GetBaseFontName(font, buf, 256)
        name = buf.raw[:max(0, n - 1)].decode("latin-1") if n else ""
        fonts[key] = descents.get(name)
    return fonts[key]


def font_descents(data: bytes) -> dict:
    """BaseFont → descent in em, as pdfminer computes it (``PDFFont.get_descent``): the AFM
    metrics of a standard-14 name, else the font descriptor's /Descent (of the descendant font
    of a Type0 font), 0 when absent, made negative. pdfium fills a missing descent from the font
    file instead, so its own value cannot stand in. Only the font dictionaries of the document are
    parsed (no content stream). A name given to fonts of different descents maps to None."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1
    from pdfminer.psparser import PSLiteral

    def name_of(v) -> str:
        v = resolve1(v)
        if isinstance(v, PSLiteral):
            v = v.name
        if isinstance(v, bytes):
            v = v.decode("latin-1")
        return v if isinstance(v, str) else ""

    def num(d, k) -> float:
        try:
            return float(resolve1(d.get(k, 0)) or 0)
        except (TypeError, ValueError):
            return 0.0

    out: dict = {}

    def put(name: str, desc: Optional[float]) -> None:
        # pdfium names a subset font with or without its tag (ABCDEF+): both names are kept
        for key in {name, _SUBSET.sub("", name)}:
            if key in out and out[key] != desc:
                out[key] = None
            else:
                out[key] = desc

    seen: set = set()

    def font(spec) -> None:
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            return
        sub = name_of(spec.get("Subtype"))
        base = name_of(spec.get("BaseFont"))
        if sub == "Type0":
            dfs = resolve1(spec.get("DescendantFonts")) or []
            d0 = resolve1(dfs[0]) if dfs else {}
            d0 = d0 if isinstance(d0, dict) else {}
            desc = resolve1(d0.get("FontDescriptor")) or {}
            v = -abs(num(desc, "Descent")) / 1000.0 if isinstance(desc, dict) else 0.0
            put(base, v)
            put(name_of(d0.get("BaseFont")), v)
        elif sub == "Type3":
            put(base, None)
        else:
            if base in FONT_METRICS:
                v = float(FONT_METRICS[base][0].get("Descent", 0))
            else:
                desc = resolve1(spec.get("FontDescriptor")) or {}
                v = num(desc, "Descent") if isinstance(desc, dict) else 0.0
            put(base, -abs(v) / 1000.0)

    def resources(res, depth: int) -> None:
        res = resolve1(res)
        if not isinstance(res, dict) or depth > 8:
            return
        for ref in (resolve1(res.get("Font")) or {}).values():
            key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
            if key not in seen:
                seen.add(key)
                font(ref)
        for ref in (resolve1(res.get("XObject")) or {}).values():
            key = ("x", ref.objid) if isinstance(ref, PDFObjRef) else None
            if key in seen:
                continue
            if key:
                seen.add(key)
            xo = resolve1(ref)
            attrs = getattr(xo, "attrs", None)
            if attrs and name_of(attrs.get("Subtype")) == "Form":
                resources(attrs.get("Resources"), depth + 1)

    import io
    from pdfminer.pdfpage import PDFPage

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    for page in PDFPage.create_pages(doc):
        resources(page.resources, 0)
    return out


def _edges(R, objs, height) -> list:
    """pdfplumber's page.edges from the painted paths (pdfminer's paint_path, then obj_to_edges)."""
    lines, rects, curves = [], [], []
    m = R.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj, kind, fm in objs:
        if kind != R.FPDF_PAGEOBJ_PATH:
            continue
        R.FPDFPageObj_GetMatrix(obj, m)
        ctm = _mul((m.a, m.b, m.c, m.d, m.e, m.f), fm)
        subpaths: list = []  # of [(op, point)]
        for k in range(R.FPDFPath_CountSegments(obj)):
            seg = R.FPDFPath_GetPathSegment(obj, k)
            R.FPDFPathSegment_GetPoint(seg, x, y)
            typ = R.FPDFPathSegment_GetType(seg)
            pt = _apply(ctm, x.value, y.value)
            if typ == R.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([("m", pt)])
                continue
            sp = subpaths[-1]
            if typ == R.FPDF_SEGMENT_BEZIERTO:
                # three points per curve: the last one is the curve's point
                if sp[-1][0] == "c" and sp[-1][2] < 3:
                    sp[-1] = ("c", pt, sp[-1][2] + 1)
                else:
                    sp.append(("c", pt, 1))
            else:
                sp.append(("l", pt))
            if R.FPDFPathSegment_GetClose(seg) and (typ != R.FPDF_SEGMENT_BEZIERTO or sp[-1][2] == 3):
                if sp[-1][0] == "l" and sp[-1][1] == sp[0][1]:
                    sp[-1] = ("h", sp[0][1])
                else:
                    sp.append(("h", sp[0][1]))
        for sp in subpaths:
            if len(sp) < 2:
                continue
            _paint(sp, height, lines, rects, curves)
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    out = [line_to_edge(ln) for ln in lines]
    for r in rects:
        out.extend(rect_to_edges(r))
    for c in curves:
        out.extend(curve_to_edges(c))
    return out


def _obj(kind: str, pts: list, height: float) -> dict:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    d = {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
         "top": top, "bottom": height - y0, "doctop": top}
    if kind != "rect":
        d["pts"] = [(px, height - py) for px, py in pts]
    return d


def _paint(sp: list, height: float, lines: list, rects: list, curves: list) -> None:
    """pdfminer's paint_path for one subpath: a line, a rect or a curve."""
    shape = "".join(s[0] for s in sp)
    pts = [s[1] for s in sp]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        lines.append(_obj("line", pts[:2], height))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            rects.append(_obj("rect", [pts[0], pts[2]], height))
            return
    curves.append(_obj("curve", pts, height))


# reasons a page is read with pdfplumber that mean pdfium's text of it differs (a warning row
# names the page); the others (a rotated page, an unknown font metric) are geometry pdfium's
# reading here does not rebuild, the text is the same
TEXT_REASONS = ("a character without Unicode mapping", "pdfium leaves out an overprinted text object")


class PdfPages:
    """The pages of one PDF: pdfium page models, and a pdfplumber page where pdfium's reading is
    not used (``open_plumber(data, name)`` opens the pdfplumber document the first time one is
    needed; a file pdfium cannot open at all is read by pdfplumber, whose errors say why).

    ``pages`` has a length and is iterated once, reading each page as it is reached. ``reader``:
    pdfium | pdfplumber | pdfium+pdfplumber; ``warnings``: one line per page whose pdfium text
    differs from pdfplumber's (:data:`TEXT_REASONS`)."""

    def __init__(self, data: bytes, name: str, open_plumber, use_pdfium: bool = True):
        self._data, self._name, self._open_plumber = data, name, open_plumber
        self._plumber = None
        self._doc = None
        self._readers: set = set()
        self.warnings: list[str] = []
        self.fallbacks: list[tuple[int, str]] = []
        if use_pdfium and data.lstrip()[:5].startswith(b"%PDF"):
            try:
                doc = open_pdf(data)
                if len(doc):
                    self._descents = font_descents(data)
                    self._doc = doc
                else:
                    doc.close()
            except Exception:  # encrypted, damaged …: pdfplumber's reading says what it is
                self._doc = None
        n = len(self._doc) if self._doc is not None else len(self._plumber_pdf().pages)
        self.pages = _Pages(self, n)

    def _plumber_pdf(self):
        if self._plumber is None:
            self._plumber = self._open_plumber(self._data, self._name)
        return self._plumber

    def page(self, index: int):
        if self._doc is not None:
            try:
                model, why = read_page(self._doc, index, self._descents)
            except Exception as exc:  # pragma: no cover - a pdfium failure on one page
                model, why = None, f"pdfium fails ({type(exc).__name__})"
            if model is not None:
                self._readers.add("pdfium")
                return model
            self.fallbacks.append((index + 1, why))
            if why in TEXT_REASONS:
                self.warnings.append(f"page {index + 1}: {why} in pdfium's text: read with pdfplumber")
        self._readers.add("pdfplumber")
        return self._plumber_pdf().pages[index]

    @property
    def reader(self) -> str:
        return "+".join(r for r in ("pdfium", "pdfplumber") if r in self._readers) or "pdfium"

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        if self._doc is not None:
            self._doc.close()


class _Pages:
    def __init__(self, owner: PdfPages, n: int):
        self._owner, self._n = owner, n

    def __len__(self) -> int:
        return self._n

    def __iter__(self):
        for i in range(self._n):
            yield self._owner.page(i)
