"""pdfplumber's table finder (``page.find_tables()``, default settings: the lines strategy) with
its two quadratic steps written again, same results:

* ``edges_to_intersections``: every vertical edge against every horizontal edge, the horizontal
  ones sorted again for each vertical one; here sorted once and only those within the vertical
  edge's extent (± the tolerance) are tried;
* ``intersections_to_cells``: for each point, every later point scanned for the ones below and
  right of it, and the edges of both points turned into sets of boxes on every test; here the
  points are grouped by x and by y and each point's edge boxes are a set made once.

The rest (edge filtering, snapping and joining, cells to tables, ``Table``) is pdfplumber's own.
Works on a pdfplumber page and on the pdfium page model (:mod:`.pagemodel`) alike."""
from __future__ import annotations

from bisect import bisect_left, bisect_right


def find_tables(page) -> list:
    from pdfplumber import table as T

    finder = T.TableFinder.__new__(T.TableFinder)
    finder.page = page
    finder.settings = s = T.TableSettings.resolve(None)
    finder.edges = finder.get_edges()
    finder.intersections = edges_to_intersections(finder.edges, s.intersection_x_tolerance,
                                                  s.intersection_y_tolerance)
    finder.cells = intersections_to_cells(finder.intersections)
    finder.tables = [T.Table(page, group) for group in T.cells_to_tables(finder.cells)]
    return finder.tables


def edges_to_intersections(edges: list, x_tolerance: float = 1, y_tolerance: float = 1) -> dict:
    """pdfplumber.table.edges_to_intersections: (x, top) → {"v": [edges], "h": [edges]}."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: (e["x0"], e["top"]))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: (e["top"], e["x0"]))
    tops = [h["top"] for h in h_edges]
    out: dict = {}
    for v in v_edges:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        # v.top <= h.top + tol and v.bottom >= h.top - tol
        lo = bisect_left(tops, vtop - y_tolerance)
        hi = bisect_right(tops, vbottom + y_tolerance)
        for h in h_edges[lo:hi]:
            ht = h["top"]
            if vtop <= ht + y_tolerance and vbottom >= ht - y_tolerance \
                    and h["x0"] - x_tolerance <= vx <= h["x1"] + x_tolerance:
                d = out.get((vx, ht))
                if d is None:
                    d = out[(vx, ht)] = {"v": [], "h": []}
                d["v"].append(v)
                d["h"].append(h)
    return out


def _bbox(e) -> tuple:
    return (e["x0"], e["top"], e["x1"], e["bottom"])


def intersections_to_cells(intersections: dict) -> list:
    """pdfplumber.table.intersections_to_cells: the smallest cell whose top-left corner is each
    point, in the order of the sorted points."""
    vs = {p: {_bbox(e) for e in d["v"]} for p, d in intersections.items()}
    hs = {p: {_bbox(e) for e in d["h"]} for p, d in intersections.items()}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not vs[p1].isdisjoint(vs[p2]):
            return True
        return p1[1] == p2[1] and not hs[p1].isdisjoint(hs[p2])

    points = sorted(intersections)
    by_x: dict = {}
    by_y: dict = {}
    for p in points:  # ascending y within one x, ascending x within one y
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in points[:-1]:
        below = [q for q in by_x[pt[0]] if q[1] > pt[1]]
        if not below:
            continue
        right = [q for q in by_y[pt[1]] if q[0] > pt[0] and connects(pt, q)]
        if not right:
            continue
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                br = (right_pt[0], below_pt[1])
                if br in intersections and connects(br, right_pt) and connects(br, below_pt):
                    found = (pt[0], pt[1], br[0], br[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells
