/* The per-character and per-path-segment loops of extractors/native/pagemodel.py in C.
 *
 * pdfium's functions are called through the addresses pypdfium2's ctypes bindings already hold
 * (bind()), so nothing here links against pdfium and the module builds with only a C compiler
 * and the Python headers. Each loop makes the calls its Python twin in pagemodel.py makes, in the
 * same order, and builds the same objects (page_chars: _chars_loop's character dicts; path_edges:
 * _path_edges's line, rect-edge and curve dicts; objects: the page's objects packed in bytes,
 * unpacked with memoryview.cast): one C call per text page, page or form instead of three to
 * four ctypes calls per character or segment. The module is optional (setup.py): without it
 * pagemodel.py runs the same loops in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } RectF;

static int (*p_count_chars)(void *);
static unsigned int (*p_get_unicode)(void *, int);
static int (*p_get_text)(void *, int, int, unsigned short *);
static int (*p_is_generated)(void *, int);
static int (*p_has_map_error)(void *, int);
static void *(*p_get_text_object)(void *, int);
static int (*p_get_loose_char_box)(void *, int, RectF *);
typedef struct { float a, b, c, d, e, f; } MatrixF;
static int (*p_get_matrix)(void *, int, MatrixF *);
static double (*p_get_font_size)(void *, int);
static void *(*p_text_obj_get_font)(void *);
static int (*p_path_count_segments)(void *);
static void *(*p_path_get_segment)(void *, int);
static int (*p_segment_get_point)(void *, float *, float *);
static int (*p_segment_get_type)(void *);
static int (*p_segment_get_close)(void *);
static int (*p_page_count_objects)(void *);
static void *(*p_page_get_object)(void *, int);
static int (*p_form_count_objects)(void *);
static void *(*p_form_get_object)(void *, unsigned long);
static int (*p_obj_get_type)(void *);
static int (*p_obj_get_matrix)(void *, MatrixF *);
static int bound = 0;

static int take(PyObject *d, const char *name, void **slot) {
    PyObject *v = PyDict_GetItemString(d, name);
    if (v == NULL) {
        PyErr_Format(PyExc_KeyError, "bind: no address for %s", name);
        return -1;
    }
    *slot = PyLong_AsVoidPtr(v);
    if (*slot == NULL) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_ValueError, "bind: null address for %s", name);
        return -1;
    }
    return 0;
}

/* bind({name: address}) — the pdfium functions, by their pdfium names */
static PyObject *bind(PyObject *self, PyObject *d) {
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "bind takes a dict");
        return NULL;
    }
    if (take(d, "FPDFText_CountChars", (void **)&p_count_chars) ||
        take(d, "FPDFText_GetUnicode", (void **)&p_get_unicode) ||
        take(d, "FPDFText_GetText", (void **)&p_get_text) ||
        take(d, "FPDFText_IsGenerated", (void **)&p_is_generated) ||
        take(d, "FPDFText_HasUnicodeMapError", (void **)&p_has_map_error) ||
        take(d, "FPDFText_GetTextObject", (void **)&p_get_text_object) ||
        take(d, "FPDFText_GetLooseCharBox", (void **)&p_get_loose_char_box) ||
        take(d, "FPDFText_GetMatrix", (void **)&p_get_matrix) ||
        take(d, "FPDFText_GetFontSize", (void **)&p_get_font_size) ||
        take(d, "FPDFTextObj_GetFont", (void **)&p_text_obj_get_font) ||
        take(d, "FPDFPath_CountSegments", (void **)&p_path_count_segments) ||
        take(d, "FPDFPath_GetPathSegment", (void **)&p_path_get_segment) ||
        take(d, "FPDFPathSegment_GetPoint", (void **)&p_segment_get_point) ||
        take(d, "FPDFPathSegment_GetType", (void **)&p_segment_get_type) ||
        take(d, "FPDFPathSegment_GetClose", (void **)&p_segment_get_close) ||
        take(d, "FPDFPage_CountObjects", (void **)&p_page_count_objects) ||
        take(d, "FPDFPage_GetObject", (void **)&p_page_get_object) ||
        take(d, "FPDFFormObj_CountObjects", (void **)&p_form_count_objects) ||
        take(d, "FPDFFormObj_GetObject", (void **)&p_form_get_object) ||
        take(d, "FPDFPageObj_GetType", (void **)&p_obj_get_type) ||
        take(d, "FPDFPageObj_GetMatrix", (void **)&p_obj_get_matrix))
        return NULL;
    bound = 1;
    Py_RETURN_NONE;
}

static int check_bound(void) {
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_loops.bind() was not called");
        return -1;
    }
    return 0;
}

static PyObject *k_text, *k_x0, *k_x1, *k_top, *k_bottom, *k_doctop, *k_y0, *k_y1, *k_width, *k_height,
    *k_size, *k_upright, *k_matrix;

/* a dict for a character's 13 items, made at its size (no resizing while they are put in) */
static PyObject *new_char_dict(void) {
#if PY_VERSION_HEX < 0x030E0000
    return _PyDict_NewPresized(13);
#else
    return PyDict_New();
#endif
}

static int is_gen_code(unsigned int u) { return u == 0x20 || u == 0x0D || u == 0x0A || u == 0x02 || u == 0; }

/* ---- what the characters of one text object share: two small hash tables ---- */

/* a text object → its content order (-1: not one of the listed text objects) and its shape
 * (borrowed from the shape table; NULL until its first character is read) */
typedef struct { void *obj; Py_ssize_t k; PyObject *shape; } ObjEnt;
typedef struct { ObjEnt *e; size_t cap, used; ObjEnt null_obj; } ObjMap;

static size_t hash_ptr(void *p) { return (size_t)(((uint64_t)(uintptr_t)p >> 3) * 0x9E3779B97F4A7C15ull >> 17); }

/* an open-addressing table's entries (esize bytes each, ``used`` telling a taken slot) moved into
one twice as large (``first`` slots the first time) */
static int table_grow(void **entries, size_t *cap, size_t esize, size_t first, size_t (*hash)(const void *),
                      int (*used)(const void *)) {
    size_t ncap = *cap ? 2 * *cap : first;
    char *e = PyMem_Calloc(ncap, esize);
    if (!e) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < *cap; i++) {
        const char *old = (const char *)*entries + i * esize;
        if (used(old)) {
            size_t j = hash(old) & (ncap - 1);
            while (used(e + j * esize))
                j = (j + 1) & (ncap - 1);
            memcpy(e + j * esize, old, esize);
        }
    }
    PyMem_Free(*entries);
    *entries = e;
    *cap = ncap;
    return 0;
}

static size_t objent_hash(const void *e) { return hash_ptr(((const ObjEnt *)e)->obj); }
static int objent_used(const void *e) { return ((const ObjEnt *)e)->obj != NULL; }

static int objmap_grow(ObjMap *m) {
    return table_grow((void **)&m->e, &m->cap, sizeof(ObjEnt), 256, objent_hash, objent_used);
}

/* the entry of obj, made (k -1, no shape) when absent; NULL on an error. The pointer holds until
 * the next call. */
static ObjEnt *objmap_at(ObjMap *m, void *obj) {
    if (!obj)
        return &m->null_obj;
    if (2 * (m->used + 1) > m->cap && objmap_grow(m))
        return NULL;
    size_t j = hash_ptr(obj) & (m->cap - 1);
    while (m->e[j].obj && m->e[j].obj != obj)
        j = (j + 1) & (m->cap - 1);
    if (!m->e[j].obj) {
        m->e[j].obj = obj;
        m->e[j].k = -1;
        m->e[j].shape = NULL;
        m->used++;
    }
    return &m->e[j];
}

/* (font, font size, a, b, c, d, e, f) → info_of's tuple (owned) */
typedef struct { void *font; double v[7]; PyObject *shape; } ShapeEnt;
typedef struct { ShapeEnt *e; size_t cap, used; } ShapeMap;

static size_t hash_shape(void *font, const double *v) {
    uint64_t h = (uint64_t)(uintptr_t)font * 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 7; i++) {
        double x = v[i] == 0.0 ? 0.0 : v[i]; /* -0.0 and 0.0 are one key, as in a dict */
        uint64_t b;
        memcpy(&b, &x, sizeof b);
        h = (h ^ b) * 0x100000001B3ull;
    }
    return (size_t)(h ^ (h >> 29));
}

static int same_shape(const ShapeEnt *s, void *font, const double *v) {
    if (s->font != font)
        return 0;
    for (int i = 0; i < 7; i++)
        if (!(s->v[i] == v[i]))
            return 0;
    return 1;
}

static size_t shapeent_hash(const void *e) {
    return hash_shape(((const ShapeEnt *)e)->font, ((const ShapeEnt *)e)->v);
}
static int shapeent_used(const void *e) { return ((const ShapeEnt *)e)->shape != NULL; }

static int shapemap_grow(ShapeMap *m) {
    return table_grow((void **)&m->e, &m->cap, sizeof(ShapeEnt), 64, shapeent_hash, shapeent_used);
}

static void shapemap_free(ShapeMap *m) {
    for (size_t i = 0; i < m->cap; i++)
        Py_XDECREF(m->e[i].shape);
    PyMem_Free(m->e);
}

/* page_chars(text_page, text_objects, info_of, quarter, right) -> (chars, unchecked, missing) | int | str
 *
 * pagemodel._chars's loop over the characters of a text page (its Unicode as _page_text reads it).
 * Per character, in text-page order:
 * a generated one (a space or line break pdfium put in: its code one of space, CR, LF, 2, 0 and
 * IsGenerated non-zero) is skipped; one without Unicode mapping (code 0 or 2, a private-use code,
 * U+FFFD, U+FFFE, or HasUnicodeMapError non-zero) ends the loop: its index is returned (an int).
 * What the characters of one text object share is read at its first character: its content order
 * (its place in text_objects, the page's text objects packed as uintptr; -1 when absent, the last
 * place when listed twice), and, from its matrix (FPDFText_GetMatrix, zeros when pdfium gives
 * none), font size and font, info_of(font, size, a, b, c, d, e, f) — a tuple (size, a, b, c, d, f,
 * y0, y1, top, bottom, on_base), or a str: the reason the page is not read, returned as is; asked
 * once per distinct (font, size, matrix), e given as 0 on an unturned page (quarter 0), where
 * the box's x comes from the loose box, not from e. The character's dict is pdfplumber's (text, x0, x1, top,
 * bottom, doctop, y0, y1, width, height, size, upright, matrix) with x0/x1 from its loose box as
 * the page is turned by ``quarter`` (``right``: the turned page's e), appended to ``chars`` as
 * (order, index, dict); to ``unchecked`` too when on_base is false. ``missing``: the places of
 * the listed text objects no character was appended of, ascending. */
static PyObject *page_chars(PyObject *self, PyObject *args) {
    PyObject *tpo, *info_of;
    Py_buffer listed;
    int quarter;
    double right;
    if (!PyArg_ParseTuple(args, "Oy*Oid", &tpo, &listed, &info_of, &quarter, &right))
        return NULL;
    void *tp = PyLong_AsVoidPtr(tpo);
    if ((tp == NULL && PyErr_Occurred()) || check_bound()) {
        PyBuffer_Release(&listed);
        return NULL;
    }
    int n = p_count_chars(tp);
    Py_ssize_t n_texts = listed.len / (Py_ssize_t)sizeof(uintptr_t);
    ObjMap objs = {NULL, 0, 0, {NULL, -1, NULL}};
    ShapeMap shapes = {NULL, 0, 0};
    char *seen = PyMem_Calloc(n_texts ? n_texts : 1, 1);
    PyObject *out = PyList_New(0), *unchecked = PyList_New(0), *result = NULL, *ch = NULL;
    PyObject *minus_one = PyLong_FromLong(-1), *order = NULL;
    /* the page's text in one call (UTF-16), used where it is one code unit per character and no
     * surrogate (pagemodel._page_text); else one FPDFText_GetUnicode call per character */
    unsigned short *text16 = n > 0 ? PyMem_Malloc(((size_t)n + 1) * sizeof(unsigned short)) : NULL;
    if (!seen || !out || !unchecked || !minus_one || (n > 0 && !text16)) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_texts; k++) {
        uintptr_t v;
        memcpy(&v, (char *)listed.buf + k * sizeof v, sizeof v);
        ObjEnt *e = objmap_at(&objs, (void *)v);
        if (!e)
            goto done;
        e->k = k;
    }
    int whole = n > 0 && p_get_text(tp, 0, n, text16) == n + 1;
    for (int i = 0; whole && i < n; i++)
        if (text16[i] >= 0xD800 && text16[i] <= 0xDFFF)
            whole = 0;
    void *last_obj = NULL;
    PyObject *shape = NULL; /* of last_obj, borrowed */
    int have_last = 0;
    for (int i = 0; i < n; i++) {
        unsigned int u = whole ? text16[i] : p_get_unicode(tp, i);
        if (is_gen_code(u)) {
            if (p_is_generated(tp, i) != 0)
                continue;
            if (u == 0 || u == 2) {
                result = PyLong_FromLong(i);
                goto done;
            }
        } else if ((u >= 0xE000 && u <= 0xF8FF) || u == 0xFFFD || u == 0xFFFE) {
            result = PyLong_FromLong(i);
            goto done;
        }
        if (p_has_map_error(tp, i) != 0) {
            result = PyLong_FromLong(i);
            goto done;
        }
        void *obj = p_get_text_object(tp, i);
        if (!have_last || obj != last_obj) {
            ObjEnt *e = objmap_at(&objs, obj);
            if (!e)
                goto done;
            if (!e->shape) {
                MatrixF m = {0, 0, 0, 0, 0, 0};
                if (!p_get_matrix(tp, i, &m))
                    memset(&m, 0, sizeof m);
                void *font = obj ? p_text_obj_get_font(obj) : NULL;
                double v[7] = {p_get_font_size(tp, i), m.a, m.b, m.c, m.d, quarter ? (double)m.e : 0.0, m.f};
                if (2 * (shapes.used + 1) > shapes.cap && shapemap_grow(&shapes))
                    goto done;
                size_t j = hash_shape(font, v) & (shapes.cap - 1);
                while (shapes.e[j].shape && !same_shape(&shapes.e[j], font, v))
                    j = (j + 1) & (shapes.cap - 1);
                if (!shapes.e[j].shape) {
                    PyObject *got = PyObject_CallFunction(info_of, "Nddddddd", PyLong_FromVoidPtr(font), v[0], v[1],
                                                          v[2], v[3], v[4], v[5], v[6]);
                    if (!got)
                        goto done;
                    if (PyUnicode_Check(got)) {
                        result = got;
                        goto done;
                    }
                    if (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 11) {
                        Py_DECREF(got);
                        PyErr_SetString(PyExc_TypeError, "page_chars: info_of must give an 11-tuple or a str");
                        goto done;
                    }
                    shapes.e[j].font = font;
                    memcpy(shapes.e[j].v, v, sizeof v);
                    shapes.e[j].shape = got; /* owned by the table */
                    shapes.used++;
                }
                e->shape = shapes.e[j].shape;
            }
            shape = e->shape;
            Py_XDECREF(order);
            order = e->k >= 0 ? PyLong_FromSsize_t(e->k) : (Py_INCREF(minus_one), minus_one);
            if (!order)
                goto done;
            if (e->k >= 0)
                seen[e->k] = 1;
            last_obj = obj;
            have_last = 1;
        }
        RectF r = {0, 0, 0, 0};
        if (!p_get_loose_char_box(tp, i, &r))
            memset(&r, 0, sizeof r);
        double x0, x1;
        switch (quarter) {
        case 0: x0 = r.left; x1 = r.right; break;
        case 1: x0 = r.bottom; x1 = r.top; break;
        case 2: x0 = right - (double)r.right; x1 = right - (double)r.left; break;
        default: x0 = right - (double)r.top; x1 = right - (double)r.bottom; break;
        }
        PyObject *size = PyTuple_GET_ITEM(shape, 0), *f = PyTuple_GET_ITEM(shape, 5);
        PyObject *text = PyUnicode_FromOrdinal((int)u);
        PyObject *fx0 = PyFloat_FromDouble(x0), *fx1 = PyFloat_FromDouble(x1);
        PyObject *fw = PyFloat_FromDouble(x1 - x0);
        PyObject *matrix = (fx0 ? PyTuple_Pack(6, PyTuple_GET_ITEM(shape, 1), PyTuple_GET_ITEM(shape, 2),
                                               PyTuple_GET_ITEM(shape, 3), PyTuple_GET_ITEM(shape, 4), fx0, f)
                                : NULL);
        ch = new_char_dict();
        int bad = !text || !fx0 || !fx1 || !fw || !matrix || !ch ||
                  PyDict_SetItem(ch, k_text, text) < 0 || PyDict_SetItem(ch, k_x0, fx0) < 0 ||
                  PyDict_SetItem(ch, k_x1, fx1) < 0 ||
                  PyDict_SetItem(ch, k_top, PyTuple_GET_ITEM(shape, 8)) < 0 ||
                  PyDict_SetItem(ch, k_bottom, PyTuple_GET_ITEM(shape, 9)) < 0 ||
                  PyDict_SetItem(ch, k_doctop, PyTuple_GET_ITEM(shape, 8)) < 0 ||
                  PyDict_SetItem(ch, k_y0, PyTuple_GET_ITEM(shape, 6)) < 0 ||
                  PyDict_SetItem(ch, k_y1, PyTuple_GET_ITEM(shape, 7)) < 0 ||
                  PyDict_SetItem(ch, k_width, fw) < 0 || PyDict_SetItem(ch, k_height, size) < 0 ||
                  PyDict_SetItem(ch, k_size, size) < 0 || PyDict_SetItem(ch, k_upright, Py_True) < 0 ||
                  PyDict_SetItem(ch, k_matrix, matrix) < 0;
        Py_XDECREF(text); Py_XDECREF(fx0); Py_XDECREF(fx1); Py_XDECREF(fw); Py_XDECREF(matrix);
        if (bad)
            goto done;
        PyObject *idx = PyLong_FromLong(i);
        PyObject *entry = idx ? PyTuple_Pack(3, order, idx, ch) : NULL;
        Py_XDECREF(idx);
        if (!entry || PyList_Append(out, entry) < 0) {
            Py_XDECREF(entry);
            goto done;
        }
        Py_DECREF(entry);
        if (PyTuple_GET_ITEM(shape, 10) != Py_True) {
            int on_base = PyObject_IsTrue(PyTuple_GET_ITEM(shape, 10));
            if (on_base < 0 || (!on_base && PyList_Append(unchecked, ch) < 0))
                goto done;
        }
        Py_CLEAR(ch);
    }
    {
        PyObject *missing = PyList_New(0);
        if (!missing)
            goto done;
        for (Py_ssize_t k = 0; k < n_texts; k++) {
            if (seen[k])
                continue;
            PyObject *v = PyLong_FromSsize_t(k);
            if (!v || PyList_Append(missing, v) < 0) {
                Py_XDECREF(v);
                Py_DECREF(missing);
                goto done;
            }
            Py_DECREF(v);
        }
        result = Py_BuildValue("(OON)", out, unchecked, missing);
    }
done:
    PyBuffer_Release(&listed);
    Py_XDECREF(ch);
    Py_XDECREF(order);
    PyMem_Free(text16);
    PyMem_Free(seen);
    PyMem_Free(objs.e);
    shapemap_free(&shapes);
    Py_XDECREF(minus_one);
    Py_XDECREF(out);
    Py_XDECREF(unchecked);
    return result;
}

/* objects(page, matrix) -> (texts, text_objects, paths): pagemodel._objects — the page's text and
 * path objects in content order, a form object's objects in its place (its matrix, given zeros
 * when pdfium gives none, times its form's: pagemodel._mul), each as (object, matrix of its form)
 * (one tuple per form, shared); text_objects: the text objects' addresses packed (uintptr) */
static int walk(void *holder, int is_form, PyObject *fm, PyObject *texts, PyObject *ptrs, PyObject *paths, int depth) {
    if (depth > 64) /* a form nested in itself: pdfium stops long before */
        return 0;
    int n = is_form ? p_form_count_objects(holder) : p_page_count_objects(holder);
    double a0, b0, c0, d0, e0, f0;
    if (!PyArg_ParseTuple(fm, "dddddd", &a0, &b0, &c0, &d0, &e0, &f0))
        return -1;
    for (int i = 0; i < n; i++) {
        void *obj = is_form ? p_form_get_object(holder, (unsigned long)i) : p_page_get_object(holder, i);
        int kind = obj ? p_obj_get_type(obj) : 0;
        if (kind == 5) { /* FPDF_PAGEOBJ_FORM */
            MatrixF m;
            if (!p_obj_get_matrix(obj, &m))
                memset(&m, 0, sizeof m);
            double a1 = m.a, b1 = m.b, c1 = m.c, d1 = m.d, e1 = m.e, f1 = m.f;
            PyObject *inner = Py_BuildValue("(dddddd)", a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1,
                                            b0 * c1 + d0 * d1, a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0);
            if (!inner)
                return -1;
            int bad = walk(obj, 1, inner, texts, ptrs, paths, depth + 1);
            Py_DECREF(inner);
            if (bad)
                return -1;
        } else if (kind == 1 || kind == 2) { /* FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_PATH */
            PyObject *o = PyLong_FromVoidPtr(obj);
            PyObject *item = o ? PyTuple_Pack(2, o, fm) : NULL;
            Py_XDECREF(o);
            if (!item || PyList_Append(kind == 1 ? texts : paths, item) < 0) {
                Py_XDECREF(item);
                return -1;
            }
            Py_DECREF(item);
            if (kind == 1) {
                uintptr_t v = (uintptr_t)obj;
                if (PyByteArray_Resize(ptrs, PyByteArray_GET_SIZE(ptrs) + sizeof v) < 0)
                    return -1;
                memcpy(PyByteArray_AS_STRING(ptrs) + PyByteArray_GET_SIZE(ptrs) - sizeof v, &v, sizeof v);
            }
        }
    }
    return 0;
}

static PyObject *objects(PyObject *self, PyObject *args) {
    PyObject *h, *fm;
    if (!PyArg_ParseTuple(args, "OO!", &h, &PyTuple_Type, &fm))
        return NULL;
    void *page = PyLong_AsVoidPtr(h);
    if (page == NULL && PyErr_Occurred())
        return NULL;
    if (check_bound())
        return NULL;
    PyObject *texts = PyList_New(0), *paths = PyList_New(0), *ptrs = PyByteArray_FromStringAndSize(NULL, 0);
    if (!texts || !paths || !ptrs || walk(page, 0, fm, texts, ptrs, paths, 0)) {
        Py_XDECREF(texts); Py_XDECREF(paths); Py_XDECREF(ptrs);
        return NULL;
    }
    PyObject *packed = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(ptrs), PyByteArray_GET_SIZE(ptrs));
    Py_DECREF(ptrs);
    if (!packed) {
        Py_DECREF(texts); Py_DECREF(paths);
        return NULL;
    }
    return Py_BuildValue("(NNN)", texts, packed, paths);
}


/* ---- the edges of the painted paths (pagemodel._edges) ---- */

static PyObject *k_object_type, *k_orientation, *k_pts, *v_line, *v_curve, *v_rect_edge, *v_h, *v_v, *zero;

typedef struct { double x, y; } Pt;

typedef struct {
    char *ops;
    Pt *pts;
    Py_ssize_t n, cap;
} Sub;

static int sub_push(Sub *s, char op, Pt p) {
    if (s->n == s->cap) {
        Py_ssize_t cap = s->cap ? 2 * s->cap : 16;
        char *o = PyMem_Realloc(s->ops, cap);
        if (!o) return -1;
        s->ops = o;
        Pt *q = PyMem_Realloc(s->pts, cap * sizeof(Pt));
        if (!q) return -1;
        s->pts = q;
        s->cap = cap;
    }
    s->ops[s->n] = op;
    s->pts[s->n] = p;
    s->n++;
    return 0;
}

static int pt_eq(Pt a, Pt b) { return a.x == b.x && a.y == b.y; }

static int set_float(PyObject *d, PyObject *k, double v) {
    PyObject *f = PyFloat_FromDouble(v);
    if (!f) return -1;
    int r = PyDict_SetItem(d, k, f);
    Py_DECREF(f);
    return r;
}

/* pagemodel._obj: the dict of a line or curve through pts (min/max as Python's: the first of
 * equal values kept) */
static PyObject *obj_dict(PyObject *kind, Pt *pts, Py_ssize_t n, double height) {
    double x0 = pts[0].x, x1 = pts[0].x, y0 = pts[0].y, y1 = pts[0].y;
    for (Py_ssize_t i = 1; i < n; i++) {
        if (pts[i].x < x0) x0 = pts[i].x;
        if (pts[i].x > x1) x1 = pts[i].x;
        if (pts[i].y < y0) y0 = pts[i].y;
        if (pts[i].y > y1) y1 = pts[i].y;
    }
    double top = height - y1;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (PyDict_SetItem(d, k_object_type, kind) < 0 || set_float(d, k_x0, x0) < 0 || set_float(d, k_y0, y0) < 0 ||
        set_float(d, k_x1, x1) < 0 || set_float(d, k_y1, y1) < 0 || set_float(d, k_width, x1 - x0) < 0 ||
        set_float(d, k_height, y1 - y0) < 0 || set_float(d, k_top, top) < 0 ||
        set_float(d, k_bottom, height - y0) < 0 || set_float(d, k_doctop, top) < 0)
        goto fail;
    PyObject *lst = PyList_New(n);
    if (!lst) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = Py_BuildValue("(dd)", pts[i].x, height - pts[i].y);
        if (!t) { Py_DECREF(lst); goto fail; }
        PyList_SET_ITEM(lst, i, t);
    }
    int r = PyDict_SetItem(d, k_pts, lst);
    Py_DECREF(lst);
    if (r < 0) goto fail;
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

static PyObject *edge(double x0, double y0, double x1, double y1, PyObject *w, PyObject *h, double top,
                      double bottom, PyObject *orient) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (PyDict_SetItem(d, k_object_type, v_rect_edge) < 0 || set_float(d, k_x0, x0) < 0 ||
        set_float(d, k_y0, y0) < 0 || set_float(d, k_x1, x1) < 0 || set_float(d, k_y1, y1) < 0 ||
        PyDict_SetItem(d, k_width, w) < 0 || PyDict_SetItem(d, k_height, h) < 0 ||
        set_float(d, k_top, top) < 0 || set_float(d, k_bottom, bottom) < 0 || set_float(d, k_doctop, top) < 0 ||
        PyDict_SetItem(d, k_orientation, orient) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static int append_new(PyObject *list, PyObject *item) {
    if (!item) return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* pagemodel._rect_edges */
static int rect_edges(Pt p0, Pt p1, double height, PyObject *rects) {
    double x0 = p1.x < p0.x ? p1.x : p0.x, x1 = p1.x > p0.x ? p1.x : p0.x;
    double y0 = p1.y < p0.y ? p1.y : p0.y, y1 = p1.y > p0.y ? p1.y : p0.y;
    double top = height - y1, w = x1 - x0, h = y1 - y0, bottom = height - y0;
    PyObject *fw = PyFloat_FromDouble(w), *fh = PyFloat_FromDouble(h);
    int r = -1;
    if (fw && fh &&
        append_new(rects, edge(x0, y1, x1, y1, fw, zero, top, top, v_h)) == 0 &&
        append_new(rects, edge(x0, y0, x1, y0, fw, zero, top + h, bottom, v_h)) == 0 &&
        append_new(rects, edge(x0, y0, x0, y1, zero, fh, top, bottom, v_v)) == 0 &&
        append_new(rects, edge(x1, y0, x1, y1, zero, fh, top, bottom, v_v)) == 0)
        r = 0;
    Py_XDECREF(fw);
    Py_XDECREF(fh);
    return r;
}

static int shape_is(const char *ops, Py_ssize_t n, const char *want) {
    return (Py_ssize_t)strlen(want) == n && memcmp(ops, want, n) == 0;
}

/* pagemodel._paint: one subpath → a line, a rect's four edges or a curve */
static int paint(Sub *s, double height, PyObject *lines, PyObject *rects, PyObject *curves) {
    char *ops = s->ops;
    Pt *pts = s->pts;
    Py_ssize_t n = s->n, np = s->n;
    char shape[8];
    int shortened = 0;
    if (n > 3 && ops[n - 2] == 'l' && ops[n - 1] == 'h' && pt_eq(pts[n - 2], pts[0])) {
        shortened = 1; /* shape[:-2] + "h", pts[:-1] */
        np = n - 1;
    }
    Py_ssize_t sl = shortened ? n - 1 : n;
    if (sl <= 5) {
        if (shortened) {
            memcpy(shape, ops, n - 2);
            shape[n - 2] = 'h';
        } else {
            memcpy(shape, ops, n);
        }
        if (shape_is(shape, sl, "mlh") || shape_is(shape, sl, "ml")) {
            PyObject *ln = obj_dict(v_line, pts, 2, height);
            if (!ln) return -1;
            PyObject *t = PyDict_GetItem(ln, k_top), *b = PyDict_GetItem(ln, k_bottom);
            if (PyDict_SetItem(ln, k_orientation, PyFloat_AS_DOUBLE(t) == PyFloat_AS_DOUBLE(b) ? v_h : v_v) < 0) {
                Py_DECREF(ln);
                return -1;
            }
            return append_new(lines, ln);
        }
        if ((shape_is(shape, sl, "mlllh") || shape_is(shape, sl, "mllll")) && np == 5) {
            Pt a = pts[0], b = pts[1], c = pts[2], d = pts[3];
            if (pt_eq(pts[0], pts[4]) && ((a.x == b.x && b.y == c.y && c.x == d.x && d.y == a.y) ||
                                          (a.y == b.y && b.x == c.x && c.y == d.y && d.x == a.x)))
                return rect_edges(pts[0], pts[2], height, rects);
        }
    }
    return append_new(curves, obj_dict(v_curve, pts, np, height));
}

/* path_edges(items, height) -> (lines, rect_edges, curves): pagemodel._edges's loop over the path
 * objects, items = [(path object, (a, b, c, d, e, f) of its form)] in content order: each
 * object's segments, its matrix times its form's, read into subpaths as pdfminer's paint_path sees
 * them (m l c h: a Bézier segment's three points one c, a closing segment an h) and each subpath
 * painted: a line, a rect (its four edges, as pdfplumber's rect_to_edges) or a curve (its dict;
 * pdfplumber's curve_to_edges makes its edges). */
static PyObject *path_edges(PyObject *self, PyObject *args) {
    PyObject *items;
    double height;
    if (!PyArg_ParseTuple(args, "O!d", &PyList_Type, &items, &height))
        return NULL;
    if (check_bound())
        return NULL;
    PyObject *lines = PyList_New(0), *rects = PyList_New(0), *curves = PyList_New(0), *result = NULL;
    Sub s = {NULL, NULL, 0, 0};
    if (!lines || !rects || !curves)
        goto done;
    for (Py_ssize_t it = 0; it < PyList_GET_SIZE(items); it++) {
        PyObject *item = PyList_GET_ITEM(items, it);
        PyObject *o;
        double a0, b0, c0, d0, e0, f0;
        if (!PyArg_ParseTuple(item, "O(dddddd)", &o, &a0, &b0, &c0, &d0, &e0, &f0))
            goto done;
        void *obj = PyLong_AsVoidPtr(o);
        if (!obj && PyErr_Occurred())
            goto done;
        MatrixF m = {0, 0, 0, 0, 0, 0};
        if (!p_obj_get_matrix(obj, &m))
            memset(&m, 0, sizeof m);
        double a1 = m.a, b1 = m.b, c1 = m.c, d1 = m.d, e1 = m.e, f1 = m.f;
        /* _mul(m1, m0) */
        double a = a0 * a1 + c0 * b1, b = b0 * a1 + d0 * b1, c = a0 * c1 + c0 * d1, d = b0 * c1 + d0 * d1;
        double e = a0 * e1 + c0 * f1 + e0, f = b0 * e1 + d0 * f1 + f0;
        s.n = 0;
        int n_c = 0;
        int nseg = p_path_count_segments(obj);
        for (int k = 0; k < nseg; k++) {
            void *seg = p_path_get_segment(obj, k);
            float x = 0, y = 0;
            int typ = -1, closes = 0;
            if (seg) {
                if (!p_segment_get_point(seg, &x, &y))
                    x = y = 0;
                typ = p_segment_get_type(seg);
                closes = p_segment_get_close(seg) != 0;
            }
            double xd = x, yd = y;
            Pt pt = {a * xd + c * yd + e, b * xd + d * yd + f};
            if (typ == 2 /* FPDF_SEGMENT_MOVETO */ || s.n == 0) {
                if (s.n >= 2 && paint(&s, height, lines, rects, curves) < 0)
                    goto done;
                s.n = 0;
                if (sub_push(&s, 'm', pt) < 0) { PyErr_NoMemory(); goto done; }
                continue;
            }
            if (typ == 1 /* FPDF_SEGMENT_BEZIERTO */) {
                if (s.ops[s.n - 1] == 'c' && n_c < 3) {
                    s.pts[s.n - 1] = pt;
                    n_c++;
                } else {
                    if (sub_push(&s, 'c', pt) < 0) { PyErr_NoMemory(); goto done; }
                    n_c = 1;
                }
            } else if (sub_push(&s, 'l', pt) < 0) {
                PyErr_NoMemory();
                goto done;
            }
            if (closes && (typ != 1 || n_c == 3)) {
                if (s.ops[s.n - 1] == 'l' && pt_eq(s.pts[s.n - 1], s.pts[0])) {
                    s.ops[s.n - 1] = 'h';
                    s.pts[s.n - 1] = s.pts[0];
                } else if (sub_push(&s, 'h', s.pts[0]) < 0) {
                    PyErr_NoMemory();
                    goto done;
                }
            }
        }
        if (s.n >= 2 && paint(&s, height, lines, rects, curves) < 0)
            goto done;
    }
    result = PyTuple_Pack(3, lines, rects, curves);
done:
    PyMem_Free(s.ops);
    PyMem_Free(s.pts);
    Py_XDECREF(lines);
    Py_XDECREF(rects);
    Py_XDECREF(curves);
    return result;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_O, "bind({pdfium function name: address})"},
    {"page_chars", page_chars, METH_VARARGS,
     "page_chars(text_page, text_objects, info_of, quarter, right) -> (chars, unchecked, missing) | int | str"},
    {"path_edges", path_edges, METH_VARARGS, "path_edges(items, height) -> (lines, rect_edges, curves)"},
    {"objects", objects, METH_VARARGS, "objects(page, matrix) -> (texts, text_objects, paths)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_loops", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdfium_loops(void) {
    const char *names[] = {"text", "x0", "x1", "top", "bottom", "doctop", "y0", "y1", "width", "height",
                           "size", "upright", "matrix"};
    PyObject **slots[] = {&k_text, &k_x0, &k_x1, &k_top, &k_bottom, &k_doctop, &k_y0, &k_y1, &k_width,
                          &k_height, &k_size, &k_upright, &k_matrix};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        *slots[i] = PyUnicode_InternFromString(names[i]);
        if (!*slots[i])
            return NULL;
    }
    if (!(k_object_type = PyUnicode_InternFromString("object_type")) ||
        !(k_orientation = PyUnicode_InternFromString("orientation")) || !(k_pts = PyUnicode_InternFromString("pts")) ||
        !(v_line = PyUnicode_InternFromString("line")) || !(v_curve = PyUnicode_InternFromString("curve")) ||
        !(v_rect_edge = PyUnicode_InternFromString("rect_edge")) || !(v_h = PyUnicode_InternFromString("h")) ||
        !(v_v = PyUnicode_InternFromString("v")) || !(zero = PyLong_FromLong(0)))
        return NULL;
    return PyModule_Create(&module);
}
