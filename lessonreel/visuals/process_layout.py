"""Geometry of the ``process`` visual, in natural scene units (no Manim): boxes, arrows, labels, slots.

``row``     boxes left to right; arrows between neighbours run straight
            (two opposite ones side by side), others bridge over the boxes in
            lanes; link labels above their arrow (the lower of a pair: below);
            tokens stack below their box.
``column``  the same turned: boxes top to bottom, bridges on the left, link
            labels left of their arrow, tokens stacked right of their box.
``cycle``   boxes on an ellipse, clockwise from the top; arrows between ring
            neighbours are arcs bulging outwards (the second of an opposite
            pair inwards), others are chords; labels outside their arc;
            tokens stack towards the centre.

Every label keeps clear of the arrows by half a token's height, so a token
travelling along an arrow never covers one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

CHIP_H = 0.6         # a token chip's height
CHIP_GAP = 0.1       # between stacked chips
SLOT_GAP = 0.14      # between a box and its first chip
BUFF = 0.06          # arrows stop this far from a box
PAIR = 0.14          # half the distance between two opposite arrows
CLEAR = CHIP_H / 2 + 0.08  # from an arrow to a label


@dataclass
class Layout:
    stages: dict                       # id -> (x, y, w, h)
    tracks: list                       # per link: [(x, y), ...] from tail to head
    labels: list                       # per link: (x, y) centre of its label, or None
    slots: dict                        # id -> (x, y, align, dx, dy): first slot and the step to the next
    box: tuple = field(default=(0, 0, 0, 0))  # (left, bottom, right, top) of everything

    def slot(self, stage: str, k: int):
        x, y, align, dx, dy = self.slots[stage]
        return x + k * dx, y + k * dy, align


def plan(layout: str, ids: list, links: list, sizes: dict, label_sizes: list, stacks: dict, chip_w: dict,
         widest_chip: float) -> Layout:
    boxes = {s: (max(w + 0.5, chip_w.get(s, 0) + 0.2, 1.3), max(0.9, h + 0.4)) for s, (w, h) in sizes.items()}
    out = {"row": _row, "column": _column, "cycle": _cycle}[layout](ids, links, boxes, label_sizes, stacks,
                                                                    chip_w, widest_chip)
    out.box = _extent(out, label_sizes, stacks, chip_w)
    return out


def _pairs(links):
    keys = {(l["from"], l["to"]) for l in links}
    return {n for n, l in enumerate(links) if (l["to"], l["from"]) in keys}


def _row(ids, links, boxes, label_sizes, stacks, chip_w, widest):
    index = {s: i for i, s in enumerate(ids)}
    gaps = [0.9] * (len(ids) - 1)
    for n, l in enumerate(links):
        a, b = sorted((index[l["from"]], index[l["to"]]))
        if b == a + 1 and label_sizes[n]:
            gaps[a] = max(gaps[a], label_sizes[n][0] + 0.3)
    xs, x = {}, 0.0
    for i, s in enumerate(ids):
        w = boxes[s][0]
        x += w / 2
        xs[s] = x
        x += w / 2 + (gaps[i] if i < len(gaps) else 0)
    stages = {s: (xs[s], 0.0, *boxes[s]) for s in ids}
    paired = _pairs(links)
    tracks, labels = [None] * len(links), [None] * len(links)
    top = max(h for _, h in boxes.values()) / 2
    bridges = []
    for n, l in enumerate(links):
        a, b = l["from"], l["to"]
        ia, ib = index[a], index[b]
        if abs(ia - ib) != 1:
            bridges.append(n)
            continue
        right = ib > ia
        y = (PAIR if right else -PAIR) if n in paired else 0.0
        xa = xs[a] + (1 if right else -1) * (boxes[a][0] / 2 + BUFF)
        xb = xs[b] - (1 if right else -1) * (boxes[b][0] / 2 + BUFF)
        tracks[n] = [(xa, y), (xb, y)]
        if label_sizes[n]:
            lh = label_sizes[n][1]
            below = n in paired and not right
            cy = y - CLEAR - lh / 2 if below else y + CLEAR + lh / 2
            labels[n] = ((xa + xb) / 2, cy)
            top = max(top, cy + lh / 2)
    _bridges(bridges, links, index, xs, boxes, label_sizes, tracks, labels, top, axis=0)
    slots = {s: (xs[s], -boxes[s][1] / 2 - SLOT_GAP - CHIP_H / 2, "centre", 0.0, -(CHIP_H + CHIP_GAP)) for s in ids}
    return Layout(stages, tracks, labels, slots)


def _bridges(bridges, links, index, pos, boxes, label_sizes, tracks, labels, base, axis):
    """Links between stages that are not neighbours: over the row (axis 0) or left of the column (axis 1)."""
    lanes: list[list[tuple[int, int]]] = []
    ends: dict[str, list[int]] = {}
    for n in sorted(bridges, key=lambda n: abs(index[links[n]["from"]] - index[links[n]["to"]])):
        span = tuple(sorted((index[links[n]["from"]], index[links[n]["to"]])))
        lane = next((k for k, used in enumerate(lanes) if all(span[1] < u[0] or u[1] < span[0] for u in used)), None)
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append(span)
        links[n]["_lane"] = lane
        for end in ("from", "to"):
            ends.setdefault(links[n][end], []).append(n)
    if not bridges:
        return
    # Lanes are far enough apart for a label beside each (above it in a row, left of it in a column).
    sizes = [label_sizes[n] for n in bridges if label_sizes[n]]
    room = max([s[1] for s in sizes] if axis == 0 else [s[0] + 0.1 for s in sizes], default=0.0)
    pitch = 0.4 + (room + CLEAR if sizes else 0.0)
    for n in bridges:
        lane = links[n].pop("_lane")
        level = base + 0.4 + lane * pitch
        pts = []
        for end in ("from", "to"):
            s = links[n][end]
            k = ends[s].index(n)
            off = (k - (len(ends[s]) - 1) / 2) * 0.3
            c = pos[s]
            edge = boxes[s][1 - axis] / 2 + BUFF
            if axis == 0:
                pts.append([(c + off, edge), (c + off, level)])
            else:
                pts.append([(-edge, c + off), (-level, c + off)])
        tracks[n] = [pts[0][0], pts[0][1], pts[1][1], pts[1][0]]
        if label_sizes[n]:
            lw, lh = label_sizes[n]
            (x0, y0), (x1, y1) = pts[0][1], pts[1][1]
            if axis == 0:
                labels[n] = ((x0 + x1) / 2, level + CLEAR + lh / 2)
            else:
                labels[n] = (-level - CLEAR - lw / 2, (y0 + y1) / 2)


def _column(ids, links, boxes, label_sizes, stacks, chip_w, widest):
    index = {s: i for i, s in enumerate(ids)}
    paired = _pairs(links)
    gaps = [0.9] * (len(ids) - 1)
    for i in range(len(ids) - 1):
        between = [label_sizes[n][1] for n, l in enumerate(links) if label_sizes[n]
                   and sorted((index[l["from"]], index[l["to"]])) == [i, i + 1]]
        gaps[i] = max(gaps[i], sum(between) + 0.15 * len(between) + 0.3)
        s = ids[i]
        stack = stacks.get(s, 0) * (CHIP_H + CHIP_GAP) - CHIP_GAP
        gaps[i] = max(gaps[i], stack - boxes[s][1] + 0.3)
    ys, y = {}, 0.0
    for i, s in enumerate(ids):
        h = boxes[s][1]
        y -= h / 2
        ys[s] = y
        y -= h / 2 + (gaps[i] if i < len(gaps) else 0)
    stages = {s: (0.0, ys[s], *boxes[s]) for s in ids}
    tracks, labels = [None] * len(links), [None] * len(links)
    left = max(w for w, _ in boxes.values()) / 2
    bridges, pending = [], {}
    for n, l in enumerate(links):
        a, b = l["from"], l["to"]
        ia, ib = index[a], index[b]
        if abs(ia - ib) != 1:
            bridges.append(n)
            continue
        down = ib > ia
        x = (-PAIR if down else PAIR) if n in paired else 0.0
        ya = ys[a] - (1 if down else -1) * (boxes[a][1] / 2 + BUFF)
        yb = ys[b] + (1 if down else -1) * (boxes[b][1] / 2 + BUFF)
        tracks[n] = [(x, ya), (x, yb)]
        if label_sizes[n]:
            pending.setdefault(min(ia, ib), []).append((n, down))
    for i, group in pending.items():
        group.sort(key=lambda g: not g[1])  # the downward arrow's label first
        top = ys[ids[i]] - boxes[ids[i]][1] / 2 - BUFF
        bottom = ys[ids[i + 1]] + boxes[ids[i + 1]][1] / 2 + BUFF
        total = sum(label_sizes[n][1] for n, _ in group) + 0.15 * (len(group) - 1)
        y = (top + bottom) / 2 + total / 2
        for n, _ in group:
            lw, lh = label_sizes[n]
            x = -PAIR - max(widest, CHIP_H) / 2 - 0.08 - lw / 2
            labels[n] = (x, y - lh / 2)
            left = max(left, -x + lw / 2)
            y -= lh + 0.15
    _bridges(bridges, links, index, ys, boxes, label_sizes, tracks, labels, left, axis=1)
    slots = {s: (boxes[s][0] / 2 + SLOT_GAP, ys[s] + boxes[s][1] / 2 - CHIP_H / 2, "left", 0.0,
                 -(CHIP_H + CHIP_GAP)) for s in ids}
    return Layout(stages, tracks, labels, slots)


def _exit(c, w, h, toward):
    """Where the segment from a box's centre towards a point leaves the box (plus BUFF)."""
    dx, dy = toward[0] - c[0], toward[1] - c[1]
    scales = [(w / 2 + BUFF) / abs(dx)] if abs(dx) > 1e-9 else []
    scales += [(h / 2 + BUFF) / abs(dy)] if abs(dy) > 1e-9 else []
    scale = min(scales or [0.0])
    return c[0] + dx * scale, c[1] + dy * scale


def _arc(p, q, bulge, samples=16):
    """Points of a circular arc from p to q whose middle sits ``bulge`` off the chord (to its left if > 0)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    out = []
    for k in range(samples + 1):
        t = k / samples
        s = 4 * bulge * t * (1 - t)  # a parabola is close enough to the arc for short bulges
        out.append((p[0] + t * dx + nx * s, p[1] + t * dy + ny * s))
    return out


def _cycle(ids, links, boxes, label_sizes, stacks, chip_w, widest):
    n = len(ids)
    angles = {s: math.pi / 2 - 2 * math.pi * i / n for i, s in enumerate(ids)}
    pitch = CHIP_H + CHIP_GAP
    stack_h = {s: max(stacks.get(s, 0) * pitch - CHIP_GAP, 0) for s in ids}
    wmax = max(w for w, _ in boxes.values())
    hmax = max(h for _, h in boxes.values())
    a = max(2.6 + 0.15 * n, wmax / 2 + SLOT_GAP + widest + 0.3 + widest / 2, 0.9 * wmax * n / math.pi)
    b = max(1.7 + 0.1 * n, hmax + SLOT_GAP + max(stack_h.values()) + 0.3, 0.45 * hmax * n / math.pi + hmax / 2)
    centres = {s: (a * math.cos(angles[s]), b * math.sin(angles[s])) for s in ids}
    stages = {s: (*centres[s], *boxes[s]) for s in ids}
    index = {s: i for i, s in enumerate(ids)}
    keys = {(l["from"], l["to"]) for l in links}
    tracks, labels = [None] * len(links), [None] * len(links)
    for k, l in enumerate(links):
        s, t = l["from"], l["to"]
        p = _exit(centres[s], *boxes[s], centres[t])
        q = _exit(centres[t], *boxes[t], centres[s])
        ring = (index[t] - index[s]) % n in (1, n - 1)
        if not ring:
            tracks[k] = [p, q]
            mid, out = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2), _unit(-(q[1] - p[1]), q[0] - p[0])
        else:
            forward = (index[t] - index[s]) % n == 1
            inward = (t, s) in keys and not forward
            # Outwards is to the left of a clockwise chord: left of p->q is (-dy, dx).
            dx, dy = q[0] - p[0], q[1] - p[1]
            left = _unit(-dy, dx)
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            outwards = left if left[0] * mid[0] / a ** 2 + left[1] * mid[1] / b ** 2 > 0 else (-left[0], -left[1])
            sign = 1 if outwards == left else -1
            bulge = 0.18 * math.hypot(dx, dy) * (-sign if inward else sign)
            tracks[k] = _arc(p, q, bulge)
            mid = tracks[k][len(tracks[k]) // 2]
            out = outwards if not inward else (-outwards[0], -outwards[1])
        if label_sizes[k]:
            lw, lh = label_sizes[k]
            reach = CLEAR + abs(out[0]) * lw / 2 + abs(out[1]) * lh / 2
            labels[k] = (mid[0] + out[0] * reach, mid[1] + out[1] * reach)
    slots = {}
    for s in ids:
        x, y = centres[s]
        w, h = boxes[s]
        if abs(math.sin(angles[s])) > 0.5 or abs(x) < 1e-6:
            sign = -1 if y > 0 else 1
            slots[s] = (x, y + sign * (h / 2 + SLOT_GAP + CHIP_H / 2), "centre", 0.0, sign * pitch)
        else:
            side = "right" if x > 0 else "left"
            edge = x - w / 2 - SLOT_GAP if x > 0 else x + w / 2 + SLOT_GAP
            slots[s] = (edge, y + h / 2 - CHIP_H / 2, side, 0.0, -pitch)
    return Layout(stages, tracks, labels, slots)


def _unit(x, y):
    length = math.hypot(x, y) or 1.0
    return x / length, y / length


def _extent(lay: Layout, label_sizes, stacks, chip_w):
    xs, ys = [], []
    for x, y, w, h in lay.stages.values():
        xs += [x - w / 2, x + w / 2]
        ys += [y - h / 2, y + h / 2]
    for track in lay.tracks:
        xs += [p[0] for p in track]
        ys += [p[1] for p in track]
    for centre, size in zip(lay.labels, label_sizes):
        if centre:
            xs += [centre[0] - size[0] / 2, centre[0] + size[0] / 2]
            ys += [centre[1] - size[1] / 2, centre[1] + size[1] / 2]
    for s in lay.stages:
        count = stacks.get(s, 0)
        if count:
            w = chip_w.get(s, 0)
            for k in (0, count - 1):
                x, y, align = lay.slot(s, k)
                left = x if align == "left" else x - w if align == "right" else x - w / 2
                xs += [left, left + w]
                ys += [y - CHIP_H / 2, y + CHIP_H / 2]
    return (min(xs) - 0.05, min(ys) - 0.05, max(xs) + 0.05, max(ys) + 0.05)
