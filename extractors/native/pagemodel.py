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

The loops over every character and every path segment run compiled (``_pdfium_loops.c``, built by
``pip install`` where a C compiler is found: it calls pdfium through the function addresses
pypdfium2 holds and builds the same dicts) or, without it, in Python (:func:`_chars_loop`, the
Python branch of :func:`_edges`); both give the same page model value for value
(tests/test_pagemodel.py), the compiled ones ~4× faster.

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
from array import array
from dataclasses import dataclass, field
from functools import partial
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
    # the chars whose box may sit off their baseline as fix_char_boxes sees it (a font whose
    # descent is beyond [-0.44, 0.19] em, a blank put back): the only ones it needs to look at
    unchecked: Optional[list] = None

    @property
    def bbox(self) -> tuple:
        return (0, 0, self.width, self.height)

    def find_tables(self) -> list:
        from .tablefind import find_tables

        return find_tables(self)


def open_pdf(data: bytes):
    """A pypdfium2 document over the bytes (the caller keeps ``data`` alive with it)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def page_count(doc) -> int:
    return len(doc)


_FAST_NAMES = (
    "FPDF_LoadPage", "FPDF_ClosePage", "FPDFPage_GetRotation", "FPDFPage_GetMediaBox",
    "FPDF_GetPageWidthF", "FPDF_GetPageHeightF", "FPDFPage_CountObjects", "FPDFPage_GetObject",
    "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
    "FPDFPageObj_GetBounds", "FPDFText_LoadPage", "FPDFText_ClosePage", "FPDFText_CountChars",
    "FPDFText_GetText", "FPDFText_GetUnicode", "FPDFText_IsGenerated", "FPDFText_HasUnicodeMapError",
    "FPDFText_GetTextObject", "FPDFText_GetLooseCharBox", "FPDFText_GetMatrix", "FPDFText_GetFontSize",
    "FPDFTextObj_GetFont", "FPDFTextObj_GetFontSize", "FPDFFont_GetBaseFontName", "FPDFFont_GetDescent",
    "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
    "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose",
)


class _F:
    """pdfium's functions taking and returning every handle and pointer as an int
    (``ctypes.c_void_p``): pypdfium2's bindings type them as pointer classes, which costs a
    conversion, or a ``ctypes.cast`` to get an object's address, on every call of the
    per-character loop. Built once per process (:func:`_fast`)."""


_LOADED = False


def _fast():
    global _LOADED
    if not _LOADED:
        import pypdfium2.raw as R

        def conv(t):
            return ctypes.c_void_p if isinstance(t, type) and issubclass(t, (ctypes._Pointer, ctypes.c_char_p)) else t

        _F.addresses = {}
        for name in _FAST_NAMES:
            f = getattr(R, name)
            proto = ctypes.CFUNCTYPE(conv(f.restype), *[conv(t) for t in f.argtypes])
            _F.addresses[name] = ctypes.cast(f, ctypes.c_void_p).value
            setattr(_F, name.split("_", 1)[1] if name.startswith("FPDF_") else name[4:], proto(_F.addresses[name]))
        for k in ("FPDF_PAGEOBJ_TEXT", "FPDF_PAGEOBJ_PATH", "FPDF_PAGEOBJ_FORM", "FPDF_SEGMENT_MOVETO",
                  "FPDF_SEGMENT_BEZIERTO"):
            setattr(_F, k, getattr(R, k))
        _F.loops = _compiled_loops(_F.addresses)
        _LOADED = True
    return _F


def _compiled_loops(addresses: dict):
    """The compiled loops (extractors/native/_pdfium_loops.c, built by ``pip install`` where a C
    compiler is found) bound to pdfium's functions (``addresses``: name → address, those of
    _FAST_NAMES), or None: the loops then run in Python."""
    try:
        from . import _pdfium_loops as loops
    except ImportError:
        return None
    if ctypes.sizeof(ctypes.c_void_p) != ctypes.sizeof(ctypes.c_size_t):
        return None  # the objects come back as size_t ('N')
    try:
        loops.bind(addresses)
    except (KeyError, ValueError):  # a module built for functions this list no longer names
        return None
    return loops


def use_compiled_loops(on: bool) -> bool:
    """Run the page model's loops compiled (the default where the module was built) or in Python
    (``on=False``: the reference the tests compare the compiled loops with). → whether they are
    compiled now."""
    F = _fast()
    F.loops = _compiled_loops(F.addresses) if on else None
    return F.loops is not None


class _Buf:
    """The out-parameters of the pdfium calls (one set per process) and their addresses."""

    def __init__(self):
        self.m = m = ctypes.c_float * 6
        self.mat = m()
        self.f4 = (ctypes.c_float * 4)()
        self.fl = [ctypes.c_float() for _ in range(4)]
        self.mat_p = ctypes.addressof(self.mat)
        self.f4_p = ctypes.addressof(self.f4)
        self.fl_p = [ctypes.addressof(x) for x in self.fl]


def _objects(F, page: int, matrix, buf) -> tuple[list, bytes, list]:
    """The page's text and path objects in content order, a form's objects in its place (its
    matrix times its form's), each as (object, matrix of its form): → (texts, their addresses
    packed as uintptr, paths). Compiled (_pdfium_loops.objects) where it was built, else
    :func:`_walk`, the same steps in Python."""
    if F.loops is not None:
        return F.loops.objects(page, matrix)
    texts: list = []
    paths: list = []
    _walk(F, page, False, matrix, buf, texts, paths, 0)
    return texts, _pack(obj for obj, _ in texts), paths


def _pack(addresses) -> bytes:
    """Addresses packed as the compiled loops take them (size_t each, native order)."""
    return array({8: "Q", 4: "I"}[_PTR], addresses).tobytes()


def _walk(F, raw: int, form: bool, matrix, buf, texts: list, paths: list, depth: int) -> None:
    """_pdfium_loops.objects in Python (its comment says what it does)."""
    if depth > 64:
        return
    count, get = (F.FormObj_CountObjects, F.FormObj_GetObject) if form else (F.Page_CountObjects, F.Page_GetObject)
    get_type = F.PageObj_GetType
    for i in range(count(raw)):
        obj = get(raw, i)
        kind = get_type(obj) if obj else 0
        if kind == F.FPDF_PAGEOBJ_FORM:
            if not F.PageObj_GetMatrix(obj, buf.mat_p):
                buf.mat[:] = (0.0,) * 6
            _walk(F, obj, True, _mul(tuple(buf.mat), matrix), buf, texts, paths, depth + 1)
        elif kind == F.FPDF_PAGEOBJ_TEXT:
            texts.append((obj, matrix))
        elif kind == F.FPDF_PAGEOBJ_PATH:
            paths.append((obj, matrix))


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


def _rotation(quarter: int, w: float, h: float) -> tuple:
    """pdfminer's device matrix of a page rotated by /Rotate (its ``process_page``, MediaBox at
    the origin): the page's coordinates as displayed, the page ``h`` × ``w`` when turned a quarter."""
    return {0: _IDENTITY, 1: (0.0, -1.0, 1.0, 0.0, 0.0, w), 2: (-1.0, 0.0, 0.0, -1.0, w, h),
            3: (0.0, 1.0, -1.0, 0.0, h, 0.0)}[quarter]


_BUF = None


def read_page(doc, index: int, descents: dict) -> tuple[Optional[PageModel], Optional[str]]:
    """(page model, None) or (None, why pdfium's reading of this page is not used)."""
    global _BUF
    F = _fast()
    if _BUF is None:
        _BUF = _Buf()
    buf = _BUF
    page = F.LoadPage(_addr(doc.raw), index)
    if not page:
        return None, "pdfium cannot load the page"
    tp = None
    try:
        fl = buf.fl
        if not F.Page_GetMediaBox(page, *buf.fl_p):
            fl[0].value, fl[1].value = 0.0, 0.0
            fl[2].value, fl[3].value = F.GetPageWidthF(page), F.GetPageHeightF(page)
        if fl[0].value or fl[1].value:
            return None, "MediaBox not at the origin"
        width, height = float(fl[2].value), float(fl[3].value)
        quarter = F.Page_GetRotation(page) % 4
        rot = _rotation(quarter, width, height)
        if quarter % 2:
            width, height = height, width
        texts, text_objects, paths = _objects(F, page, rot, buf)
        tp = F.Text_LoadPage(page)
        if not tp:
            return None, "pdfium cannot read the text layer"
        chars, why, unchecked = _chars(F, buf, tp, texts, text_objects, height, descents, rot, quarter)
        if why:
            return None, why
        edges = _edges(F, buf, paths, height)
        return PageModel(index + 1, width, height, chars, edges, unchecked=unchecked), None
    finally:
        if tp:
            F.Text_ClosePage(tp)
        F.ClosePage(page)


def _addr(p) -> int:
    return ctypes.cast(p, ctypes.c_void_p).value or 0


def _page_text(F, tp: int, n: int) -> list:
    """The Unicode of each of the n characters: the page's text in one call (UTF-16), or one call
    per character when that text is not one code unit per character (a character beyond the BMP)."""
    raw = ctypes.create_string_buffer(2 * n + 2)
    got = F.Text_GetText(tp, 0, n, ctypes.addressof(raw)) if n else 0
    if got == n + 1:
        s = raw.raw[:2 * n].decode("utf-16-le", "surrogatepass")
        if len(s) == n and not any(0xD800 <= ord(c) <= 0xDFFF for c in s if c >= "\ud800"):
            return list(map(ord, s))
    u = F.Text_GetUnicode
    return [u(tp, i) for i in range(n)]


def _chars(F, buf, tp, texts, text_objects, height, descents, rot, quarter) -> tuple[list, Optional[str], Optional[list]]:
    """The page's characters as pdfplumber's dicts, (content order, text-page index, dict) each,
    and the ones fix_char_boxes must look at; or why the page is not read. The loop over the
    characters is the compiled one (_pdfium_loops.page_chars) where it was built, else
    :func:`_chars_loop`, the same steps in Python. ``texts``: the page's text objects (object,
    matrix of its form), ``text_objects`` their addresses packed."""
    turned = rot != _IDENTITY
    fonts: dict = {}

    def info_of(font: int, fs: float, *m):
        """What the characters of one text object share, from its font, font size and matrix:
        (size, a, b, c, d, f, y0, y1, top, bottom, on_base), or why the page is not read."""
        em = fonts.get(font, _NO_FONT)
        if em is _NO_FONT:
            em = fonts[font] = _descent(F, font, descents)
        if em is None:
            return "a font whose descent is not known"
        if turned:
            a, b, c, d, e, f = _mul(m, rot)
        else:
            a, b, c, d, f = m[0], m[1], m[2], m[3], m[5]
        if b or c or a <= 0 or d <= 0:
            return "rotated or mirrored text"
        size = d * fs
        y0 = f + size * em
        y1 = y0 + size
        # a box within [-0.2, 0.45] em of the baseline, which fix_char_boxes leaves alone
        on_base = -0.44 <= em <= 0.19
        return (size, a, b, c, d, f, y0, y1, height - y1, height - y0, on_base)

    loop = F.loops.page_chars if F.loops is not None else partial(_chars_loop, F, buf)
    got = loop(tp, text_objects, info_of, quarter, rot[4])
    if isinstance(got, int):
        return [], "a character without Unicode mapping", None
    if isinstance(got, str):
        return [], got, None
    out, unchecked, missing = got
    if missing:
        n_found = len(out)
        why = _left_out(F, buf, texts, missing, out, height, fonts, descents)
        if why:
            return [], why, None
        unchecked.extend(c for _, _, c in out[n_found:])
    out.sort()  # content order, then the text page's; (order, index) is unique: no dict compared
    return [c for _, _, c in out], None, unchecked


_PTR = ctypes.sizeof(ctypes.c_size_t)  # bytes of one packed object address (memoryview "N")
_GEN_CODES = frozenset((0x20, 0x0D, 0x0A, 0x02, 0))


def _chars_loop(F, buf, tp: int, text_objects: bytes, info_of, quarter: int, right: float):
    """_pdfium_loops.page_chars in Python (its comment says what it does): → (chars, unchecked,
    missing), the index of a character without Unicode mapping, or info_of's reason the page is
    not read."""
    order = {obj: k for k, obj in enumerate(memoryview(text_objects).cast("N").tolist())}
    f4, f4_p = buf.f4, buf.f4_p
    mat, mat_p = buf.mat, buf.mat_p
    is_gen, map_err, get_obj, loose = (F.Text_IsGenerated, F.Text_HasUnicodeMapError, F.Text_GetTextObject,
                                       F.Text_GetLooseCharBox)
    get_matrix, get_size, get_font = F.Text_GetMatrix, F.Text_GetFontSize, F.TextObj_GetFont
    per_obj: dict = {}
    shapes: dict = {}
    out: list = []
    unchecked: list = []
    for i, u in enumerate(_page_text(F, tp, F.Text_CountChars(tp))):
        if u in _GEN_CODES:
            if is_gen(tp, i):
                continue  # a character pdfium generated (a space or line break it put in)
            if u == 0 or u == 2:
                return i
        elif 0xE000 <= u <= 0xF8FF or u == 0xFFFD or u == 0xFFFE:
            return i
        if map_err(tp, i):
            return i
        key = get_obj(tp, i) or 0
        info = per_obj.get(key)
        if info is None:
            if not get_matrix(tp, i, mat_p):
                mat[:] = (0.0,) * 6
            shape_key = (get_font(key) or 0, get_size(tp, i), mat[0], mat[1], mat[2], mat[3],
                         mat[4] if quarter else 0.0, mat[5])
            shape = shapes.get(shape_key)
            if shape is None:
                shape = shapes[shape_key] = info_of(*shape_key)
                if isinstance(shape, str):
                    return shape
            info = per_obj[key] = (order.get(key, -1), shape)
        k, (size, a, b, c, d, f, y0, y1, top, bottom, on_base) = info
        if not loose(tp, i, f4_p):
            f4[0] = f4[1] = f4[2] = f4[3] = 0.0
        # FS_RECTF: left, top, right, bottom
        if quarter == 0:
            x0, x1 = f4[0], f4[2]
        elif quarter == 1:
            x0, x1 = f4[3], f4[1]
        elif quarter == 2:
            x0, x1 = right - f4[2], right - f4[0]
        else:
            x0, x1 = right - f4[1], right - f4[3]
        ch = {"text": chr(u), "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
              "y0": y0, "y1": y1, "width": x1 - x0, "height": size, "size": size, "upright": True,
              "matrix": (a, b, c, d, x0, f)}
        out.append((k, i, ch))
        if not on_base:
            unchecked.append(ch)
    seen = {t[0] for t in out}
    return out, unchecked, [k for k in range(len(text_objects) // _PTR) if k not in seen]


def _shape(F, buf, obj, fm) -> tuple:
    """A text object as displayed: (box x0, y0, x1, y1, font, font size, matrix a b c d, origin e f)."""
    fl, fl_p = buf.fl, buf.fl_p
    F.PageObj_GetBounds(obj, *fl_p)
    (x0, y0), (x1, y1) = _apply(fm, fl[0].value, fl[1].value), _apply(fm, fl[2].value, fl[3].value)
    F.TextObj_GetFontSize(obj, fl_p[0])
    fsz = fl[0].value
    F.PageObj_GetMatrix(obj, buf.mat_p)
    m = _mul(tuple(buf.mat), fm)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), F.TextObj_GetFont(obj) or 0, fsz, m)


def _left_out(F, buf, texts, missing: list, out: list, height: float, fonts: dict, descents: dict) -> Optional[str]:
    """The text objects pdfium's text page leaves out, put back as pdfminer reads them (appended
    to ``out`` as (content order, index, char)), or why they cannot be:

    * a run of only spaces (no ink: zero width, zero height, or a box flatter than _FLAT_EM em,
      as pdfium boxes some blank glyphs): one space character at its origin, boxed on its
      baseline by its font's descent as pdfminer boxes a glyph (zero wide);
    * a copy of a run of blanks printed just before it (pdfium drops a text object when one of
      the five text objects before it has the same character codes, close by; in the corpus these
      are single spaces whose glyph has a tiny box, printed at every column of a line): the
      characters of the object among those five drawn with the same font, size, matrix and box
      size (the nearest one, when several print the same blanks), moved by the difference of the
      two objects' origins;
    * anything else (an overprinted copy of printed text: fake bold, a text whose candidates
      differ): the page is pdfplumber's ("pdfium leaves out an overprinted text object"), since
      the characters of a dropped object cannot be read from pdfium."""
    by_obj: dict = {}  # content order → [(index, char)], made when a copy is looked for
    n_read = len(out)
    shapes: dict = {}
    for k in missing:  # ascending: a copy's characters are there for the objects after it
        obj, fm = texts[k]
        x0, y0, x1, y1, font, fsz, m = shapes.get(k) or _shape(F, buf, obj, fm)
        a, b, c, d, e, f = m
        # no ink: blanks. pdfium boxes a blank glyph a few hundredths of an em tall (C054 p57,
        # C061 p30, C085 pp10–15: 0.3 pt at 10.56 pt); no printed glyph is that flat (a dash
        # or an underscore is ≥ 0.05 em)
        if x1 - x0 < 0.01 or y1 - y0 < 0.01 or y1 - y0 < _FLAT_EM * abs(m[3] * fsz):
            # one space at the object's origin, on its baseline as pdfminer boxes it
            em = fonts.get(font, _NO_FONT)
            if em is _NO_FONT:
                em = fonts[font] = _descent(F, font, descents)
            if em is None:
                return "a font whose descent is not known"
            size = d * fsz
            yb = f + size * em
            out.append((k, -1, {
                "text": " ", "x0": e, "x1": e, "top": height - (yb + size), "bottom": height - yb,
                "doctop": height - (yb + size), "y0": yb, "y1": yb + size, "width": 0.0, "height": size,
                "size": size, "upright": True, "matrix": (a, b, c, d, e, f)}))
        else:
            if not by_obj:  # the text page's own characters
                for kk, i, ch in out[:n_read]:
                    by_obj.setdefault(kk, []).append((i, ch))
            like = []
            for j in range(max(0, k - 5), k):  # the five text objects before it
                if not by_obj.get(j):
                    continue
                sj = shapes.get(j)
                if sj is None:
                    sj = shapes[j] = _shape(F, buf, *texts[j])
                if sj[4] == font and sj[5] == fsz and sj[6][:4] == m[:4] \
                        and abs((sj[2] - sj[0]) - (x1 - x0)) < 0.01 and abs((sj[3] - sj[1]) - (y1 - y0)) < 0.01:
                    like.append((j, sj))
            printed = {tuple(ch["text"] for _, ch in by_obj[j]) for j, _ in like}
            if len(printed) != 1 or not all(t.isspace() for t in next(iter(printed))):
                return "pdfium leaves out an overprinted text object"
            j, sj = like[-1]
            dx, dy = e - sj[6][4], f - sj[6][5]
            chars = []
            for i, ch in by_obj[j]:
                if ch["width"] == 0.0 and ch["text"] == " ":
                    continue
                y0c, y1c = ch["y0"] + dy, ch["y1"] + dy
                mm = ch["matrix"]
                chars.append((i, {**ch, "x0": ch["x0"] + dx, "x1": ch["x1"] + dx, "top": height - y1c,
                                  "doctop": height - y1c, "bottom": height - y0c, "y0": y0c, "y1": y1c,
                                  "matrix": (*mm[:4], mm[4] + dx, mm[5] + dy)}))
            by_obj[k] = chars
            out.extend((k, i, ch) for i, ch in chars)
    return None


_NO_FONT = object()
# a text object left out by pdfium's text page whose box is flatter than this (in em) is blanks
_FLAT_EM = 0.035


def _descent(F, font: int, descents: dict) -> Optional[float]:
    """pdfminer's descent in em of a font (see :func:`font_descents`), by the font's BaseFont;
    None when the name is not known. A name given to fonts of different descents (two font
    dictionaries, one name) is told apart by pdfium's own descent of the font, which is the
    descriptor's /Descent whole (pdfium reads it as an integer) when the font has one: the
    candidate equal to it, else the one within 1.5/1000 em of it, else None."""
    raw = ctypes.create_string_buffer(256)
    n = F.Font_GetBaseFontName(font, ctypes.addressof(raw), 256)
    cands = font_candidates(descents, raw.raw[:max(0, n - 1)] if n else b"")
    if len(cands) == 1:
        return cands[0]
    if not cands:
        return None
    v = ctypes.c_float()
    if not F.Font_GetDescent(font, 1.0, ctypes.addressof(v)):
        return None
    v = -abs(v.value)
    known = [c for c in cands if c is not None]
    exact = [c for c in known if abs(c - v) < 0.0005]
    near = [c for c in known if abs(c - v) <= 0.0015]
    return exact[0] if len(exact) == 1 else near[0] if len(near) == 1 else None


def font_candidates(descents: dict, name: bytes) -> tuple:
    """The descents (:func:`font_descents`) of the fonts named ``name`` as pdfium gives it (bytes).
    pdfium sometimes cuts a long name (seen in C049: 'ABCDEE+方正小标宋简体' given as its first
    30 bytes, the last character cut in two): then the names it begins."""
    cands = descents.get(_font_name(name))
    if cands is None and name:
        cands = tuple(sorted({c for k, v in descents.items() if k.encode("utf-8", "replace").startswith(name)
                              for c in v}, key=lambda c: (c is None, c or 0)))
    return cands or ()


def _font_name(b: bytes) -> str:
    """A font name as pdfminer spells it: UTF-8 when it decodes, else the bytes as latin-1."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def font_descents(data: bytes) -> dict:
    """BaseFont → descent in em, as pdfminer computes it (``PDFFont.get_descent``): the AFM
    metrics of a standard-14 name, else the font descriptor's /Descent (of the descendant font
    of a Type0 font), 0 when absent, made negative. pdfium fills a missing descent from the font
    file instead, so its own value cannot stand in. Only the font dictionaries of the document are
    parsed (no content stream). Each name maps to the tuple of the descents of the fonts so named
    (None: a Type3 font, whose glyph boxes are not rebuilt here); :func:`_descent` chooses."""
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
            cands = out.setdefault(key, ())
            if desc not in cands:
                out[key] = cands + (desc,)

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

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    for res in _page_resources(doc):
        resources(res, 0)
    return out


def _page_resources(doc) -> list:
    """Each page's /Resources, in page order, as pdfminer's ``PDFPage.create_pages`` finds them
    (the page tree depth first, /Resources inherited from a /Pages node), without making the
    PDFPage objects (which read every page's content streams); where the tree gives no page,
    pdfminer's own walk (it then looks for /Page objects among all objects)."""
    from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
    from pdfminer.pdftypes import dict_value, list_value, resolve1

    out: list = []
    visited: set = set()

    def walk(obj, inherited) -> None:
        if isinstance(obj, int):
            objid, props = obj, dict_value(doc.getobj(obj))
        else:
            objid, props = obj.objid, dict_value(obj)
        if objid in visited:
            return
        visited.add(objid)
        res = props["Resources"] if "Resources" in props else inherited
        kind = props.get("Type") or props.get("type")
        if kind is LITERAL_PAGES and "Kids" in props:
            for kid in list_value(props["Kids"]):
                walk(kid, res)
        elif kind is LITERAL_PAGE:
            out.append(resolve1(res) if res is not None else {})

    try:
        if "Pages" in doc.catalog:
            walk(doc.catalog["Pages"], doc.catalog.get("Resources"))
    except Exception:
        out = []
    return out or [page.resources for page in PDFPage.create_pages(doc)]


def _edges(F, buf, paths, height) -> list:
    """pdfplumber's page.edges from the painted paths (pdfminer's paint_path, then obj_to_edges):
    the loop over the path objects compiled (_pdfium_loops.path_edges) where it was built, else
    :func:`_path_edges`, the same steps in Python."""
    from pdfplumber.utils import curve_to_edges

    loop = F.loops.path_edges if F.loops is not None else partial(_path_edges, F, buf)
    lines, rects, curves = loop(paths, height)
    out = lines + rects  # the edges of the lines, of the rects (four each, as rect_to_edges)
    for c in curves:
        out.extend(curve_to_edges(c))
    return out


def _path_edges(F, buf, items: list, height: float) -> tuple[list, list, list]:
    """_pdfium_loops.path_edges in Python (its comment says what it does): → (lines, rect edges,
    curves) of the path objects ``items`` = [(object, matrix of its form)]."""
    lines, rects, curves = [], [], []
    mat, mat_p = buf.mat, buf.mat_p
    px, py = buf.fl[0], buf.fl[1]
    px_p, py_p = buf.fl_p[0], buf.fl_p[1]
    moveto, bezier = F.FPDF_SEGMENT_MOVETO, F.FPDF_SEGMENT_BEZIERTO
    n_segs, get_seg, get_point, seg_type, seg_close = (F.Path_CountSegments, F.Path_GetPathSegment,
                                                        F.PathSegment_GetPoint, F.PathSegment_GetType,
                                                        F.PathSegment_GetClose)
    for obj, fm in items:
        if not F.PageObj_GetMatrix(obj, mat_p):
            mat[:] = (0.0,) * 6
        a, b, c, d, e, f = _mul(tuple(mat), fm)
        ops: list = []  # of the subpath being read: m l c h, and their points
        pts: list = []
        n_c = 0  # points of the last c op so far (a Bézier segment is three points)
        for k in range(n_segs(obj)):
            seg = get_seg(obj, k)
            get_point(seg, px_p, py_p)
            typ = seg_type(seg)
            x, y = px.value, py.value
            pt = (a * x + c * y + e, b * x + d * y + f)
            if typ == moveto or not ops:
                if len(ops) >= 2:
                    _paint(ops, pts, height, lines, rects, curves)
                ops, pts = ["m"], [pt]
                continue
            if typ == bezier:
                if ops[-1] == "c" and n_c < 3:
                    pts[-1] = pt
                    n_c += 1
                else:
                    ops.append("c")
                    pts.append(pt)
                    n_c = 1
            else:
                ops.append("l")
                pts.append(pt)
            if seg_close(seg) and (typ != bezier or n_c == 3):
                if ops[-1] == "l" and pts[-1] == pts[0]:
                    ops[-1] = "h"
                    pts[-1] = pts[0]
                else:
                    ops.append("h")
                    pts.append(pts[0])
        if len(ops) >= 2:
            _paint(ops, pts, height, lines, rects, curves)
    return lines, rects, curves


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


def _paint(ops: list, pts: list, height: float, lines: list, rects: list, curves: list) -> None:
    """pdfminer's paint_path for one subpath (its ops and points): a line, a rect or a curve."""
    shape = "".join(ops)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        ln = _obj("line", pts[:2], height)
        ln["orientation"] = "h" if ln["top"] == ln["bottom"] else "v"  # line_to_edge
        lines.append(ln)
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            rects.extend(_rect_edges(pts[0], pts[2], height))
            return
    curves.append(_obj("curve", pts, height))


def _rect_edges(p0, p1, height: float) -> list:
    """pdfplumber's rect_to_edges of the rect with corners p0 and p1 (its dicts, same keys in the
    same order, without building the rect's dict and four copies of it)."""
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    y0, y1 = min(p0[1], p1[1]), max(p0[1], p1[1])
    top = height - y1
    w, h = x1 - x0, y1 - y0
    bottom = height - y0
    return [
        {"object_type": "rect_edge", "x0": x0, "y0": y1, "x1": x1, "y1": y1, "width": w, "height": 0,
         "top": top, "bottom": top, "doctop": top, "orientation": "h"},
        {"object_type": "rect_edge", "x0": x0, "y0": y0, "x1": x1, "y1": y0, "width": w, "height": 0,
         "top": top + h, "bottom": bottom, "doctop": top + h, "orientation": "h"},
        {"object_type": "rect_edge", "x0": x0, "y0": y0, "x1": x0, "y1": y1, "width": 0, "height": h,
         "top": top, "bottom": bottom, "doctop": top, "orientation": "v"},
        {"object_type": "rect_edge", "x0": x1, "y0": y0, "x1": x1, "y1": y1, "width": 0, "height": h,
         "top": top, "bottom": bottom, "doctop": top, "orientation": "v"},
    ]


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
