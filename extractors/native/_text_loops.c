/* The word and cell steps of extractors/native/pdf.py in C: _word_chars (pdfplumber's
 * WordExtractor for a run of upright characters), cell_text (pdfplumber's extract_text on a cell's
 * characters) and table_cells (_table_cells: which characters are each cell's).
 *
 * Each takes pdfplumber's character dicts and gives what its Python twin gives, or None where the
 * twin must decide: a character that is not a dict, not upright, whose text is not a non-empty str
 * (word_chars, cell_text), or whose coordinates are not floats (or are NaN). The module is
 * optional (setup.py): without it pdf.py runs the same steps in Python, which stay the reference
 * (tests/test_native_pdf.py compares the two).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    double x0, x1, top;
    Py_ssize_t idx;  /* place in the input */
    Py_ssize_t line; /* cluster of its top */
    int space;       /* its text is blank (str.isspace) */
    PyObject *ch;    /* borrowed: the dict */
    PyObject *text;  /* borrowed: its text */
} Rec;

static PyObject *k_x0, *k_x1, *k_top, *k_text, *k_upright;

static int get_double(PyObject *d, PyObject *k, double *out) {
    PyObject *v = PyDict_GetItemWithError(d, k);
    if (!v || !PyFloat_CheckExact(v))
        return PyErr_Occurred() ? -1 : 1;
    *out = PyFloat_AS_DOUBLE(v);
    return isnan(*out) ? 1 : 0;
}

static int is_blank(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            return 0;
    return n > 0;
}

/* the records of the characters: 0, 1 (the Python twin decides) or -1 (an error) */
static int records(PyObject *chars, Rec *r, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(chars, i);
        if (!PyDict_CheckExact(c))
            return 1;
        PyObject *up = PyDict_GetItemWithError(c, k_upright);
        if (!up)
            return PyErr_Occurred() ? -1 : 1;
        int t = PyObject_IsTrue(up);
        if (t <= 0)
            return t < 0 ? -1 : 1;
        PyObject *text = PyDict_GetItemWithError(c, k_text);
        if (!text)
            return PyErr_Occurred() ? -1 : 1;
        if (!PyUnicode_CheckExact(text) || PyUnicode_GET_LENGTH(text) == 0)
            return 1;
        int g;
        if ((g = get_double(c, k_x0, &r[i].x0)) || (g = get_double(c, k_x1, &r[i].x1)) ||
            (g = get_double(c, k_top, &r[i].top)))
            return g;
        r[i].idx = i;
        r[i].line = 0;
        r[i].space = is_blank(text);
        r[i].ch = c;
        r[i].text = text;
    }
    return 0;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* pdf.clusters: each value's cluster (a chain of sorted distinct values, each within tol of the
 * one before), written to ids */
static int clusters(const double *values, Py_ssize_t n, double tol, Py_ssize_t *ids) {
    double *s = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (!s) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(s, values, n * sizeof(double));
    qsort(s, n, sizeof(double), by_value);
    Py_ssize_t *k = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));
    if (!k) {
        PyMem_Free(s);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t cur = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        /* equal values are one set member: a step is taken from the last distinct value */
        if (i > 0 && s[i] != s[i - 1] && s[i] > s[i - 1] + tol)
            cur++;
        k[i] = cur;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t lo = 0, hi = n; /* first sorted place of values[i] */
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (s[mid] < values[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        ids[i] = k[lo];
    }
    PyMem_Free(s);
    PyMem_Free(k);
    return 0;
}

static int by_line_x0(const void *a, const void *b) {
    const Rec *p = a, *q = b;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return (p->idx > q->idx) - (p->idx < q->idx);
}

/* _word_chars on the records: sorts r and writes each word's start in r to starts (a blank
 * character is in no word: its record's word start is left out, ends[w] bounds word w) → the
 * number of words, or -1 */
static Py_ssize_t words(Rec *r, Py_ssize_t n, double x_tol, double y_tol, Py_ssize_t *starts, Py_ssize_t *ends) {
    int one_line = 1;
    for (Py_ssize_t i = 1; i < n; i++)
        if (r[i].top != r[0].top) {
            one_line = 0;
            break;
        }
    if (!one_line) {
        double *tops = PyMem_Malloc(n * sizeof(double));
        Py_ssize_t *ids = PyMem_Malloc(n * sizeof(Py_ssize_t));
        if (!tops || !ids) {
            PyMem_Free(tops);
            PyMem_Free(ids);
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            tops[i] = r[i].top;
        int bad = clusters(tops, n, y_tol, ids);
        if (!bad)
            for (Py_ssize_t i = 0; i < n; i++)
                r[i].line = ids[i];
        PyMem_Free(tops);
        PyMem_Free(ids);
        if (bad)
            return -1;
    }
    qsort(r, n, sizeof(Rec), by_line_x0);
    Py_ssize_t nw = 0, start = -1; /* start: the current word's first record, -1: none */
    for (Py_ssize_t i = 0; i < n; i++) {
        if (start >= 0 && r[i].line != r[i - 1].line) { /* a new line ends the word */
            starts[nw] = start, ends[nw++] = i;
            start = -1;
        }
        if (r[i].space) {
            if (start >= 0)
                starts[nw] = start, ends[nw++] = i;
            start = -1;
        } else if (start >= 0 && (r[i].x0 < r[i - 1].x0 || r[i].x0 > r[i - 1].x1 + x_tol ||
                                  fabs(r[i].top - r[i - 1].top) > y_tol)) {
            starts[nw] = start, ends[nw++] = i;
            start = i;
        } else if (start < 0) {
            start = i;
        }
    }
    if (start >= 0)
        starts[nw] = start, ends[nw++] = n;
    return nw;
}

typedef struct {
    Rec *r;
    Py_ssize_t *starts, *ends;
} Work;

static void work_free(Work *w) {
    PyMem_Free(w->r);
    PyMem_Free(w->starts);
    PyMem_Free(w->ends);
}

/* the records and words of a list of characters: the number of words, -1 (an error) or -2 (the
 * Python twin decides) */
static Py_ssize_t prepare(PyObject *chars, double x_tol, double y_tol, Work *w) {
    Py_ssize_t n = PyList_GET_SIZE(chars);
    w->r = PyMem_Malloc(n * sizeof(Rec));
    w->starts = PyMem_Malloc(n * sizeof(Py_ssize_t));
    w->ends = PyMem_Malloc(n * sizeof(Py_ssize_t));
    if (!w->r || !w->starts || !w->ends) {
        PyErr_NoMemory();
        return -1;
    }
    int g = records(chars, w->r, n);
    if (g)
        return g < 0 ? -1 : -2;
    return words(w->r, n, x_tol, y_tol, w->starts, w->ends);
}

/* word_chars(chars: list, x_tol, y_tol) -> list of words (lists of the character dicts) | None */
static PyObject *word_chars(PyObject *self, PyObject *args) {
    PyObject *chars;
    double x_tol, y_tol;
    if (!PyArg_ParseTuple(args, "O!dd", &PyList_Type, &chars, &x_tol, &y_tol))
        return NULL;
    if (PyList_GET_SIZE(chars) == 0)
        return PyList_New(0);
    Work w = {NULL, NULL, NULL};
    Py_ssize_t nw = prepare(chars, x_tol, y_tol, &w);
    PyObject *out = NULL;
    if (nw == -2) {
        out = Py_None;
        Py_INCREF(out);
    } else if (nw >= 0 && (out = PyList_New(nw))) {
        for (Py_ssize_t k = 0; k < nw; k++) {
            PyObject *word = PyList_New(w.ends[k] - w.starts[k]);
            if (!word) {
                Py_CLEAR(out);
                break;
            }
            for (Py_ssize_t i = w.starts[k]; i < w.ends[k]; i++) {
                Py_INCREF(w.r[i].ch);
                PyList_SET_ITEM(word, i - w.starts[k], w.r[i].ch);
            }
            PyList_SET_ITEM(out, k, word);
        }
    }
    work_free(&w);
    return out;
}

/* the text of word k: its characters' texts, a ligature (ligatures: text → its letters) expanded */
static PyObject *word_text(Work *w, Py_ssize_t k, PyObject *ligatures) {
    Py_ssize_t len = w->ends[k] - w->starts[k];
    PyObject *parts = PyList_New(len);
    if (!parts)
        return NULL;
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *t = w->r[w->starts[k] + i].text;
        PyObject *lig = PyDict_GetItemWithError(ligatures, t);
        if (!lig && PyErr_Occurred()) {
            Py_DECREF(parts);
            return NULL;
        }
        t = lig ? lig : t;
        Py_INCREF(t);
        PyList_SET_ITEM(parts, i, t);
    }
    PyObject *empty = PyUnicode_New(0, 0);
    PyObject *s = empty ? PyUnicode_Join(empty, parts) : NULL;
    Py_XDECREF(empty);
    Py_DECREF(parts);
    return s;
}

typedef struct {
    Py_ssize_t line, k;
} WordAt;

static int by_line_k(const void *a, const void *b) {
    const WordAt *p = a, *q = b;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    return (p->k > q->k) - (p->k < q->k);
}

/* cell_text(chars: list, ligatures: dict) -> str | None: pdf.cell_text for plain characters */
static PyObject *cell_text(PyObject *self, PyObject *args) {
    PyObject *chars, *ligatures;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &chars, &PyDict_Type, &ligatures))
        return NULL;
    if (PyList_GET_SIZE(chars) == 0)
        return PyUnicode_New(0, 0);
    Work w = {NULL, NULL, NULL};
    Py_ssize_t nw = prepare(chars, 3.0, 3.0, &w);
    PyObject *out = NULL;
    if (nw == -2) {
        out = Py_None;
        Py_INCREF(out);
    } else if (nw == 0) {
        out = PyUnicode_New(0, 0);
    } else if (nw == 1) {
        out = word_text(&w, 0, ligatures);
    } else if (nw > 0) {
        /* the words clustered into lines by their top (the least of their characters'), each
         * line's words in order joined by a space, the lines by a line break */
        double *tops = PyMem_Malloc(nw * sizeof(double));
        Py_ssize_t *ids = PyMem_Malloc(nw * sizeof(Py_ssize_t));
        WordAt *at = PyMem_Malloc(nw * sizeof(WordAt));
        PyObject *lines = NULL, *line = NULL, *space = NULL, *brk = NULL;
        if (!tops || !ids || !at) {
            PyErr_NoMemory();
            goto fail;
        }
        for (Py_ssize_t k = 0; k < nw; k++) {
            double t = w.r[w.starts[k]].top;
            for (Py_ssize_t i = w.starts[k] + 1; i < w.ends[k]; i++)
                if (w.r[i].top < t)
                    t = w.r[i].top;
            tops[k] = t;
        }
        if (clusters(tops, nw, 3.0, ids))
            goto fail;
        for (Py_ssize_t k = 0; k < nw; k++)
            at[k].line = ids[k], at[k].k = k;
        qsort(at, nw, sizeof(WordAt), by_line_k);
        if (!(lines = PyList_New(0)) || !(space = PyUnicode_FromString(" ")) || !(brk = PyUnicode_FromString("\n")))
            goto fail;
        for (Py_ssize_t j = 0; j < nw; j++) {
            if (j == 0 || at[j].line != at[j - 1].line) {
                if (line) {
                    PyObject *s = PyUnicode_Join(space, line);
                    Py_CLEAR(line);
                    if (!s || PyList_Append(lines, s) < 0) {
                        Py_XDECREF(s);
                        goto fail;
                    }
                    Py_DECREF(s);
                }
                if (!(line = PyList_New(0)))
                    goto fail;
            }
            PyObject *s = word_text(&w, at[j].k, ligatures);
            if (!s || PyList_Append(line, s) < 0) {
                Py_XDECREF(s);
                goto fail;
            }
            Py_DECREF(s);
        }
        {
            PyObject *s = PyUnicode_Join(space, line);
            if (!s || PyList_Append(lines, s) < 0) {
                Py_XDECREF(s);
                goto fail;
            }
            Py_DECREF(s);
        }
        out = PyUnicode_Join(brk, lines);
    fail:
        Py_XDECREF(line);
        Py_XDECREF(lines);
        Py_XDECREF(space);
        Py_XDECREF(brk);
        PyMem_Free(tops);
        PyMem_Free(ids);
        PyMem_Free(at);
    }
    work_free(&w);
    return out;
}


/* ---- the characters of each cell of a ruled table (pdf._table_cells) ---- */

typedef struct {
    double v, h;         /* midpoints */
    double x0, x1, top;
    Py_ssize_t k;        /* place on the page */
    PyObject *ch;        /* borrowed */
} Mid;

static PyObject *k_bottom;

static int by_v_k(const void *a, const void *b) {
    const Mid *p = a, *q = b;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    return (p->k > q->k) - (p->k < q->k);
}

static int by_k(const void *a, const void *b) {
    const Mid *p = *(Mid *const *)a, *q = *(Mid *const *)b;
    return (p->k > q->k) - (p->k < q->k);
}

/* a box (4 numbers) → b; 0, 1 (None) or -1 */
static int box_of(PyObject *o, double *b) {
    if (o == Py_None)
        return 1;
    PyObject *t = PySequence_Fast(o, "table_cells: a box is 4 numbers");
    if (!t)
        return -1;
    int bad = PySequence_Fast_GET_SIZE(t) != 4;
    for (Py_ssize_t i = 0; !bad && i < 4; i++) {
        b[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(t, i));
        bad = b[i] == -1.0 && PyErr_Occurred();
    }
    Py_DECREF(t);
    if (bad && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "table_cells: a box is 4 numbers");
    return bad ? -1 : 0;
}

static double area(const double *c) { return (c[2] - c[0]) * (c[3] - c[1]); }

/* table_cells(page_chars, table_bbox, rows, run_gap, run_top) -> [(per_cell, row_chars, joins)] | None
 * rows: [(row bbox, [cell bbox | None])]. See pdf._table_cells, its twin. */
static PyObject *table_cells(PyObject *self, PyObject *args) {
    PyObject *page_chars, *tb, *rows;
    double gap, top_tol, t[4];
    if (!PyArg_ParseTuple(args, "O!OO!dd", &PyList_Type, &page_chars, &tb, &PyList_Type, &rows, &gap, &top_tol))
        return NULL;
    if (box_of(tb, t))
        return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError, "table_cells: no table box");
    Py_ssize_t n = PyList_GET_SIZE(page_chars), nr = PyList_GET_SIZE(rows), nm = 0, nc = 0;
    PyObject *out = NULL;
    Mid *m = PyMem_Malloc((n ? n : 1) * sizeof(Mid));
    Mid **row = PyMem_Malloc((n ? n : 1) * sizeof(Mid *));
    Mid **cell = PyMem_Malloc((n ? n : 1) * sizeof(Mid *));
    double *rb = PyMem_Malloc((nr ? nr : 1) * 4 * sizeof(double));
    Py_ssize_t *first = PyMem_Malloc((nr + 1) * sizeof(Py_ssize_t)); /* row i's cells: first[i]..first[i+1] */
    double *cb = NULL;
    char *none = NULL;
    Py_ssize_t *nested = NULL, *inner = NULL;
    if (!m || !row || !cell || !rb || !first) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *c = PyList_GET_ITEM(page_chars, k);
        double x0, x1, top, bottom;
        int g;
        if (!PyDict_CheckExact(c)) {
            out = Py_None;
            Py_INCREF(out);
            goto done;
        }
        if ((g = get_double(c, k_x0, &x0)) || (g = get_double(c, k_x1, &x1)) || (g = get_double(c, k_top, &top)) ||
            (g = get_double(c, k_bottom, &bottom))) {
            if (g > 0) {
                out = Py_None;
                Py_INCREF(out);
            }
            goto done;
        }
        double v = (top + bottom) / 2, h = (x0 + x1) / 2;
        if (t[0] <= h && h < t[2] && t[1] <= v && v < t[3])
            m[nm++] = (Mid){v, h, x0, x1, top, k, c};
    }
    qsort(m, nm, sizeof(Mid), by_v_k);
    /* the rows' and cells' boxes */
    for (Py_ssize_t i = 0; i < nr; i++) {
        PyObject *r = PyList_GET_ITEM(rows, i), *cells;
        if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != 2 || !PyList_Check(cells = PyTuple_GET_ITEM(r, 1))) {
            PyErr_SetString(PyExc_TypeError, "table_cells: a row is (bbox, [cell bbox | None])");
            goto done;
        }
        if (box_of(PyTuple_GET_ITEM(r, 0), rb + 4 * i)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "table_cells: a row without a box");
            goto done;
        }
        first[i] = nc;
        nc += PyList_GET_SIZE(cells);
    }
    first[nr] = nc;
    cb = PyMem_Malloc((nc ? nc : 1) * 4 * sizeof(double));
    none = PyMem_Malloc(nc ? nc : 1);
    nested = PyMem_Malloc((nc ? nc : 1) * sizeof(Py_ssize_t));
    inner = PyMem_Malloc((nc ? nc : 1) * sizeof(Py_ssize_t));
    if (!cb || !none || !nested || !inner) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nr; i++) {
        PyObject *cells = PyTuple_GET_ITEM(PyList_GET_ITEM(rows, i), 1);
        for (Py_ssize_t j = first[i]; j < first[i + 1]; j++) {
            int g = box_of(PyList_GET_ITEM(cells, j - first[i]), cb + 4 * j);
            if (g < 0)
                goto done;
            none[j] = (char)g;
        }
    }
    if (!(out = PyList_New(nr)))
        goto done;
    for (Py_ssize_t i = 0; i < nr; i++) {
        const double *b = rb + 4 * i;
        /* the row's characters: vertical midpoint in [top, bottom), horizontal in [x0, x1), in page order */
        Py_ssize_t lo = 0, hi = nm, nrow = 0, nn = 0;
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (m[mid].v < b[1]) lo = mid + 1; else hi = mid;
        }
        for (Py_ssize_t q = lo; q < nm && m[q].v < b[3]; q++)
            if (b[0] <= m[q].h && m[q].h < b[2])
                row[nrow++] = &m[q];
        qsort(row, nrow, sizeof(Mid *), by_k);
        /* cells of other rows overlapping this one: a character is the smallest cell's holding it */
        for (Py_ssize_t r2 = 0; r2 < nr; r2++)
            if (r2 != i && rb[4 * r2 + 1] < b[3] && rb[4 * r2 + 3] > b[1])
                for (Py_ssize_t j = first[r2]; j < first[r2 + 1]; j++)
                    if (!none[j])
                        nested[nn++] = j;
        Py_ssize_t ncell = first[i + 1] - first[i], nin = 0;
        PyObject *per_cell = PyList_New(ncell), *row_chars = PyList_New(nrow), *entry;
        if (!per_cell || !row_chars) {
            Py_XDECREF(per_cell);
            Py_XDECREF(row_chars);
            Py_CLEAR(out);
            goto done;
        }
        for (Py_ssize_t q = 0; q < nrow; q++) {
            Py_INCREF(row[q]->ch);
            PyList_SET_ITEM(row_chars, q, row[q]->ch);
        }
        int any_end = 0, joins = 0;
        for (Py_ssize_t j = 0; j < ncell; j++) {
            const double *c = cb + 4 * (first[i] + j);
            if (none[first[i] + j]) {
                Py_INCREF(Py_None);
                PyList_SET_ITEM(per_cell, j, Py_None);
                continue;
            }
            Py_ssize_t len = 0;
            for (Py_ssize_t q = 0; q < nrow; q++)
                if (c[0] <= row[q]->h && row[q]->h < c[2] && c[1] <= row[q]->v && row[q]->v < c[3])
                    cell[len++] = row[q];
            if (nn && len) {
                nin = 0;
                double a = area(c);
                for (Py_ssize_t e = 0; e < nn; e++) {
                    const double *d = cb + 4 * nested[e];
                    if (area(d) < a && d[0] < c[2] && d[2] > c[0] && d[1] < c[3] && d[3] > c[1])
                        inner[nin++] = nested[e];
                }
                Py_ssize_t kept = 0;
                for (Py_ssize_t q = 0; q < len; q++) {
                    int out_ = 0;
                    for (Py_ssize_t e = 0; e < nin && !out_; e++) {
                        const double *d = cb + 4 * inner[e];
                        out_ = d[0] <= cell[q]->h && cell[q]->h < d[2] && d[1] <= cell[q]->v && cell[q]->v < d[3];
                    }
                    if (!out_)
                        cell[kept++] = cell[q];
                }
                len = kept;
            }
            PyObject *cs = PyList_New(len);
            if (!cs) {
                Py_DECREF(per_cell);
                Py_DECREF(row_chars);
                Py_CLEAR(out);
                goto done;
            }
            for (Py_ssize_t q = 0; q < len; q++) {
                Py_INCREF(cell[q]->ch);
                PyList_SET_ITEM(cs, q, cell[q]->ch);
                /* (only a character ending within a character's width of its cell's right ruling
                 * can be followed, in one string, by a character past it) */
                if (2 * cell[q]->x1 - cell[q]->x0 > c[2])
                    any_end = 1;
            }
            PyList_SET_ITEM(per_cell, j, cs);
        }
        /* joins: a character near its cell's right ruling ends where one of another cell starts
         * (overflow.joins_across) */
        if (any_end) {
            for (Py_ssize_t j = 0; j < ncell && !joins; j++) {
                PyObject *cs = PyList_GET_ITEM(per_cell, j);
                if (cs == Py_None)
                    continue;
                double cx1 = cb[4 * (first[i] + j) + 2];
                for (Py_ssize_t q = 0; q < PyList_GET_SIZE(cs) && !joins; q++) {
                    PyObject *ce = PyList_GET_ITEM(cs, q);
                    double ex0, ex1, etop;
                    if (get_double(ce, k_x0, &ex0) || get_double(ce, k_x1, &ex1) || get_double(ce, k_top, &etop))
                        continue; /* read above: cannot fail */
                    if (!(2 * ex1 - ex0 > cx1))
                        continue;
                    for (Py_ssize_t j2 = 0; j2 < ncell && !joins; j2++) {
                        PyObject *cs2 = PyList_GET_ITEM(per_cell, j2);
                        if (j2 == j || cs2 == Py_None)
                            continue;
                        for (Py_ssize_t q2 = 0; q2 < PyList_GET_SIZE(cs2); q2++) {
                            PyObject *cst = PyList_GET_ITEM(cs2, q2);
                            double sx0, stop;
                            if (get_double(cst, k_x0, &sx0) || get_double(cst, k_top, &stop))
                                continue;
                            if (sx0 >= ex1 - gap && sx0 <= ex1 + gap && fabs(stop - etop) <= top_tol) {
                                joins = 1;
                                break;
                            }
                        }
                    }
                }
            }
        }
        entry = Py_BuildValue("(NNO)", per_cell, row_chars, joins ? Py_True : Py_False);
        if (!entry) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, entry);
    }
done:
    PyMem_Free(m);
    PyMem_Free(row);
    PyMem_Free(cell);
    PyMem_Free(rb);
    PyMem_Free(first);
    PyMem_Free(cb);
    PyMem_Free(none);
    PyMem_Free(nested);
    PyMem_Free(inner);
    return out;
}

static PyMethodDef methods[] = {
    {"word_chars", word_chars, METH_VARARGS, "word_chars(chars, x_tol, y_tol) -> list of words | None"},
    {"cell_text", cell_text, METH_VARARGS, "cell_text(chars, ligatures) -> str | None"},
    {"table_cells", table_cells, METH_VARARGS,
     "table_cells(page_chars, table_bbox, rows, run_gap, run_top) -> [(per_cell, row_chars, joins)] | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_text_loops", NULL, -1, methods};

PyMODINIT_FUNC PyInit__text_loops(void) {
    if (!(k_x0 = PyUnicode_InternFromString("x0")) || !(k_x1 = PyUnicode_InternFromString("x1")) ||
        !(k_top = PyUnicode_InternFromString("top")) || !(k_text = PyUnicode_InternFromString("text")) ||
        !(k_upright = PyUnicode_InternFromString("upright")) || !(k_bottom = PyUnicode_InternFromString("bottom")))
        return NULL;
    return PyModule_Create(&module);
}
