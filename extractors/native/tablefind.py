"""pdfplumber's table finder (``page.find_tables()``, default settings: the lines strategy) with
its two quadratic steps written again, same results:

* ``edges_to_intersections``: every vertical edge against every horizontal edge, the horizontal
  ones sorted again for each vertical one; here sorted once and only those within the vertical
  edge's extent (± the tolerance) are tried;
* ``intersections_to_cells``: for each point, every later point scanned for the ones below and
  right of it, and the edges of both points turned into sets of boxes on every test; here the
  points are grouped by x and by y and each point's edge boxes are a set made once;

and ``TableFinder.get_edges`` for the lines strategy (filter, snap, join, filter) with each
edge a tuple of the six values the finder reads instead of a dict copied by pdfplumber's
``move_object`` / ``resize_object`` at every step, same values computed in the same order.

The rest (cells to tables, ``Table``) is pdfplumber's own. One step is added (``closing_edges``,
off with ``close_open_frames=False``): the bottom or top rule of a frame whose columns are ruled to
a y no rule spans (a merged cell cut by the page break); each table then says which cells of its
first row have no top rule of their own (``Table.open_top``).
Works on a pdfplumber page and on the pdfium page model (:mod:`.pagemodel`) alike."""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .pdf import clusters


def find_tables(page, close_open_frames: bool = True) -> list:
    from pdfplumber import table as T

    s = T.TableSettings.resolve(None)
    ruled = table_edges(page.edges, s)
    edges = ruled + closing_edges(ruled, s.intersection_y_tolerance) if close_open_frames else ruled
    intersections = edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    tables = [T.Table(page, group) for group in T.cells_to_tables(intersections_to_cells(intersections))]
    if close_open_frames:
        rules = [(e[_X0], e[_TOP], e[_X1]) for e in ruled if e[0] == "h"]
        for t in tables:  # which cells of its first row have no top rule of their own (a cut cell)
            t.open_top = open_top_cells(t.rows[0].cells, rules) if t.rows else []
    return tables


def open_top_cells(cells: list, rules: list, tol: float = 1) -> list:
    """Which of a row's cells (bbox or None) have no printed rule along their top: rules (x0, y,
    x1), the page's horizontal rules before ``closing_edges`` added any."""
    out = []
    for bb in cells:
        if bb is None:
            out.append(False)
            continue
        x0, top, x1 = float(bb[0]), float(bb[1]), float(bb[2])
        out.append(not any(abs(y - top) <= tol and rx0 <= x0 + tol and rx1 >= x1 - tol for rx0, y, rx1 in rules))
    return out


# An edge here is a tuple (orientation, x0, top, x1, bottom, width, height): the only values of
# pdfplumber's edge dicts its table finder reads, each computed as it computes them.
_X0, _TOP, _X1, _BOTTOM, _WIDTH, _HEIGHT = range(1, 7)


def closing_edges(edges: list, tol: float = 1) -> list:
    """The rules a frame's open bottom or top lacks: columns ruled down to (or from) one y, no
    column between them ruled on past it, where a rule along that y spans some of them but none
    spans them all. A merged cell cut by the page
    break prints no bottom rule on its first page (北京 预算12表's 项目名称 | 项目总额 cells over a
    project's indicator lines, C012 p12) and no top rule on the next (its label centred there:
    成本指标, 西安 C054 p51); without them its words are in no cell (read as prose) and its lines
    went to the project or level before. The cells these rules open on a page's top are the rest
    of cells of the page before (extractors.native.pdf joins them)."""
    vs = [e for e in edges if e[0] == "v"]
    hs = [e for e in edges if e[0] == "h"]
    out = []
    if len(vs) < 2:
        return out
    for at, pick in ((_BOTTOM, max), (_TOP, min)):
        groups = clusters([e[at] for e in vs], tol)
        by_end: dict = {}
        for e in vs:
            by_end.setdefault(groups[e[at]], []).append(e)
        for members in by_end.values():
            if len(members) < 2:
                continue
            y = pick(e[at] for e in members)
            x0, x1 = min(e[_X0] for e in members), max(e[_X0] for e in members)
            beyond = (lambda e: e[_BOTTOM] > y + tol) if at == _BOTTOM else (lambda e: e[_TOP] < y - tol)
            if any(x0 - tol <= e[_X0] <= x1 + tol and beyond(e) for e in vs):
                continue  # a column ruled on past it: inner rules of a header (人员经费 | 公用经费), not the frame's end
            along = [h for h in hs if abs(h[_TOP] - y) <= tol]
            if not along or any(h[_X0] <= x0 + tol and h[_X1] >= x1 - tol for h in along):
                continue  # no rule ends there (not a frame's end), or one spans it already
            y = min(along, key=lambda h: abs(h[_TOP] - y))[_TOP]  # on the rule that is there
            out.append(("h", x0, y, x1, y, x1 - x0, 0))
    return out


def edges_to_intersections(edges: list, x_tolerance: float = 1, y_tolerance: float = 1) -> dict:
    """pdfplumber.table.edges_to_intersections: (x, top) → ([vertical edges], [horizontal edges])."""
    v_edges = sorted((e for e in edges if e[0] == "v"), key=lambda e: (e[_X0], e[_TOP]))
    h_edges = sorted((e for e in edges if e[0] == "h"), key=lambda e: (e[_TOP], e[_X0]))
    tops = [h[_TOP] for h in h_edges]
    out: dict = {}
    for v in v_edges:
        _, vx, vtop, _, vbottom, _, _ = v
        # v.top <= h.top + tol and v.bottom >= h.top - tol
        lo = bisect_left(tops, vtop - y_tolerance)
        hi = bisect_right(tops, vbottom + y_tolerance)
        for h in h_edges[lo:hi]:
            ht = h[_TOP]
            if vtop <= ht + y_tolerance and vbottom >= ht - y_tolerance \
                    and h[_X0] - x_tolerance <= vx <= h[_X1] + x_tolerance:
                d = out.get((vx, ht))
                if d is None:
                    d = out[(vx, ht)] = ([], [])
                d[0].append(v)
                d[1].append(h)
    return out


def intersections_to_cells(intersections: dict) -> list:
    """pdfplumber.table.intersections_to_cells: the smallest cell whose top-left corner is each
    point, in the order of the sorted points. The points below one and right of it are the rest
    of its column and of its row (points are unique, sorted by x then y)."""
    vs = {p: {e[1:5] for e in d[0]} for p, d in intersections.items()}  # the boxes of its edges
    hs = {p: {e[1:5] for e in d[1]} for p, d in intersections.items()}

    points = sorted(intersections)
    by_x: dict = {}
    by_y: dict = {}
    at_x: dict = {}  # point → its place in by_x[its x]
    at_y: dict = {}
    for p in points:  # ascending y within one x, ascending x within one y
        col = by_x.setdefault(p[0], [])
        at_x[p] = len(col)
        col.append(p)
        row = by_y.setdefault(p[1], [])
        at_y[p] = len(row)
        row.append(p)
    # pdfplumber's connects(p1, p2) for points of one column (an edge through both: their vertical
    # edge sets meet) or one row (their horizontal ones), the only pairs it is asked about here
    cells = []
    for pt in points[:-1]:
        below = by_x[pt[0]][at_x[pt] + 1:]
        if not below:
            continue
        h_pt, v_pt = hs[pt], vs[pt]
        right = [q for q in by_y[pt[1]][at_y[pt] + 1:] if not h_pt.isdisjoint(hs[q])]
        if not right:
            continue
        found = None
        for below_pt in below:
            if v_pt.isdisjoint(vs[below_pt]):
                continue
            h_below = hs[below_pt]
            for right_pt in right:
                br = (right_pt[0], below_pt[1])
                if br in intersections and not vs[br].isdisjoint(vs[right_pt]) and not hs[br].isdisjoint(h_below):
                    found = (pt[0], pt[1], br[0], br[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def table_edges(edges: list, s) -> list:
    """TableFinder.get_edges with the lines strategy both ways and no explicit lines, as edge
    tuples, in pdfplumber's order."""
    lo = s.edge_min_length_prefilter
    v = [("v", e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"])
         for e in edges if e["orientation"] == "v" and e["height"] >= lo]
    h = [("h", e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"])
         for e in edges if e["orientation"] == "h" and e["width"] >= lo]
    merged = _merge_edges(v, h, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    lo = s.edge_min_length
    return [e for e in merged if e[_HEIGHT if e[0] == "v" else _WIDTH] >= lo]


def _snap(objs: list, at: int, tol: float) -> list:
    """pdfplumber.utils.snap_objects: each cluster of the values at ``at`` (x0 of vertical
    edges, top of horizontal ones; chained within ``tol``) moved to its mean (members summed in
    their order), the edge's other end (x1, bottom) with it."""
    if not objs:
        return []
    cl = clusters([o[at] for o in objs], tol)
    groups: dict = {}
    for o in objs:
        groups.setdefault(cl[o[at]], []).append(o)
    out = []
    other = at + 2  # x0 → x1, top → bottom
    for k in sorted(groups):
        g = groups[k]
        avg = sum(o[at] for o in g) / len(g)
        for o in g:
            d = avg - o[at]
            e = list(o)
            e[at] = o[at] + d
            e[other] = o[other] + d
            out.append(tuple(e))
    return out


def _merge_edges(v: list, h: list, snap_x: float, snap_y: float, join_x: float, join_y: float) -> list:
    """pdfplumber.table.merge_edges: snapped (vertical by x0, horizontal by top), then joined
    along each line."""
    edges = _snap(v, _X0, snap_x) + _snap(h, _TOP, snap_y) if snap_x > 0 or snap_y > 0 else v + h
    groups: dict = {}
    for e in edges:
        key = ("h", e[_TOP]) if e[0] == "h" else ("v", e[_X0])
        groups.setdefault(key, []).append(e)
    out = []
    for key in sorted(groups):
        lo, hi = (_X0, _X1) if key[0] == "h" else (_TOP, _BOTTOM)
        tol = join_x if key[0] == "h" else join_y
        items = sorted(groups[key], key=lambda e: e[lo])
        joined = [items[0]]
        for e in items[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + tol:
                if e[hi] > last[hi]:
                    value = e[hi]
                    if hi == _X1:  # x1 and width
                        joined[-1] = last[:3] + (value, last[4], value - last[_X0], last[6])
                    else:  # bottom and height
                        joined[-1] = last[:4] + (value, last[5], last[_HEIGHT] + (value - last[_BOTTOM]))
            else:
                joined.append(e)
        out.extend(joined)
    return out
