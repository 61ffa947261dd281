"""pdfplumber's table finder (``page.find_tables()``, default settings: the lines strategy) with
its two quadratic steps written again, same results:

* ``edges_to_intersections``: every vertical edge against every horizontal edge, the horizontal
  ones sorted again for each vertical one; here sorted once and only those within the vertical
  edge's extent (± the tolerance) are tried;
* ``intersections_to_cells``: for each point, every later point scanned for the ones below and
  right of it, and the edges of both points turned into sets of boxes on every test; here the
  points are grouped by x and by y and each point's edge boxes are a set made once;

and ``TableFinder.get_edges`` for the lines strategy (filter, snap, join, filter) with the
edges copied as dict literals instead of pdfplumber's ``move_object`` / ``resize_object``
(a tuple of all items rebuilt per edge), same values computed in the same order.

The rest (cells to tables, ``Table``) is pdfplumber's own.
Works on a pdfplumber page and on the pdfium page model (:mod:`.pagemodel`) alike."""
from __future__ import annotations

from bisect import bisect_left, bisect_right


def find_tables(page) -> list:
    from pdfplumber import table as T

    finder = T.TableFinder.__new__(T.TableFinder)
    finder.page = page
    finder.settings = s = T.TableSettings.resolve(None)
    finder.edges = table_edges(page.edges, s)
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


def table_edges(edges: list, s) -> list:
    """TableFinder.get_edges with the lines strategy both ways and no explicit lines."""
    lo = s.edge_min_length_prefilter
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= lo]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= lo]
    merged = _merge_edges(v + h, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    lo = s.edge_min_length
    return [e for e in merged if e["height" if e["orientation"] == "v" else "width"] >= lo]


def _snap(objs: list, attr: str, tol: float) -> list:
    """pdfplumber.utils.snap_objects: each cluster of ``attr`` values (chained within ``tol``)
    moved to its mean (members summed in their order)."""
    if not objs:
        return []
    cl = {}
    k, last = 0, None
    for val in sorted({o[attr] for o in objs}):
        if last is not None and val > last + tol:
            k += 1
        cl[val] = k
        last = val
    groups: dict = {}
    for o in objs:
        groups.setdefault(cl[o[attr]], []).append(o)
    out = []
    for k in sorted(groups):
        g = groups[k]
        avg = sum(o[attr] for o in g) / len(g)
        for o in g:
            d = avg - o[attr]
            if attr == "x0":
                out.append({**o, "x0": o["x0"] + d, "x1": o["x1"] + d})
            else:
                n = {**o, "top": o["top"] + d, "bottom": o["bottom"] + d}
                if "doctop" in o:
                    n["doctop"] = o["doctop"] + d
                if "y0" in o:
                    n["y0"] = o["y0"] - d
                    n["y1"] = o["y1"] - d
                out.append(n)
    return out


def _merge_edges(edges: list, snap_x: float, snap_y: float, join_x: float, join_y: float) -> list:
    """pdfplumber.table.merge_edges: snapped (vertical by x0, horizontal by top), then joined
    along each line."""
    if snap_x > 0 or snap_y > 0:
        edges = _snap([e for e in edges if e["orientation"] == "v"], "x0", snap_x) + \
            _snap([e for e in edges if e["orientation"] == "h"], "top", snap_y)
    groups: dict = {}
    for e in edges:
        key = ("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])
        groups.setdefault(key, []).append(e)
    out = []
    for key in sorted(groups):
        orient = key[0]
        lo, hi = ("x0", "x1") if orient == "h" else ("top", "bottom")
        tol = join_x if orient == "h" else join_y
        items = sorted(groups[key], key=lambda e: e[lo])
        joined = [items[0]]
        for e in items[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + tol:
                if e[hi] > last[hi]:
                    value = e[hi]
                    if hi == "x1":
                        joined[-1] = {**last, "x1": value, "width": value - last["x0"]}
                    else:
                        diff = value - last["bottom"]
                        n = {**last, "bottom": value, "height": last["height"] + diff}
                        if "y0" in last:
                            n["y0"] = last["y0"] - diff
                        joined[-1] = n
            else:
                joined.append(e)
        out.extend(joined)
    return out
