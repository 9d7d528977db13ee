#!/usr/bin/python3
"""Ground truth for a screenshot, taken from the application itself over AT-SPI.

Prints JSON {"window": {...}, "elements": [{"name", "role", "box": {x, y, w, h}}]} where boxes are
in image pixels of a capture of the window's client area.

Usage (run inside the desktop's D-Bus session, with the app started with GTK_MODULES=gail:atk-bridge):
  /usr/bin/python3 atspi_truth.py --pid PID --title REGEX --origin X,Y --size W,H [--scale S] [--words]

  --pid     process id of the application
  --title   regular expression the top-level window's accessible name must match (separates a
            dialog's tree from its main window's)
  --origin  client-area origin of the window in screen (device) pixels, from xwininfo
  --size    width,height of the captured image: elements outside it are dropped, edges clipped
  --scale   device pixels per AT-SPI unit (GDK_SCALE: GTK reports logical pixels)
  --words   also emit one element per visible word of multi-line text views (role "word")

Only elements whose accessible name is drawn as text are kept: toolbar buttons are icon-only in
most GTK apps (their name is a tooltip), entries and combo boxes have names that are not drawn.
"""
import argparse
import json
import re
import sys

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

# Roles whose accessible name is the label drawn on the widget.
LABEL_ROLES = {
    "menu",
    "menu item",
    "check menu item",
    "radio menu item",
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "page tab",
    "label",
    "link",
    "heading",
    "table column header",
    "table cell",
    "list item",
    "tree item",
}
# Button-like roles that are usually icon-only inside a toolbar.
BUTTON_ROLES = {"push button", "toggle button", "menu button"}
MAX_NAME_CHARS = 80
MAX_CHILDREN = 400
MAX_DEPTH = 40
# A drawn character is at least this wide (logical pixels) in GTK UI fonts: names that cannot fit
# their box are drawn cut off ("Long na…") and are not ground truth for the full text.
MIN_CHAR_WIDTH = 4.5


def parse_pair(text, kind):
    a, b = text.split(",")
    return kind(a), kind(b)


def states(obj):
    s = obj.get_state_set()
    return s.contains(Atspi.StateType.SHOWING), s.contains(Atspi.StateType.VISIBLE)


def screen_extents(obj):
    try:
        ext = Atspi.Component.get_extents(obj, Atspi.CoordType.SCREEN)
    except Exception:
        return None  # no Component interface, or the object went away
    if ext.width <= 0 or ext.height <= 0 or ext.x < -10000 or ext.y < -10000:
        return None
    return ext.x, ext.y, ext.width, ext.height


class Collector:
    def __init__(self, origin, size, scale, words):
        self.origin = origin
        self.size = size
        self.scale = scale
        self.words = words
        self.elements = []
        self.popup_count = 0

    def to_image_box(self, x, y, w, h):
        """Logical screen extents -> image pixels, clipped to the image; None if mostly outside."""
        s = self.scale
        left, top = x * s - self.origin[0], y * s - self.origin[1]
        right, bottom = left + w * s, top + h * s
        cl, ct = max(0, left), max(0, top)
        cr, cb = min(self.size[0], right), min(self.size[1], bottom)
        if cr <= cl or cb <= ct:
            return None
        if (cr - cl) * (cb - ct) < 0.5 * (right - left) * (bottom - top):
            return None
        return {"x": round(cl), "y": round(ct), "w": round(cr - cl), "h": round(cb - ct)}

    def add(self, name, role, ext, popup=None):
        box = self.to_image_box(*ext)
        if box is not None:
            self.elements.append({"name": name, "role": role, "box": box, "popup": popup})

    def visible_elements(self):
        """Drops elements hidden under an open popup menu; the popup's own items stay."""
        popups = {}
        for e in self.elements:
            if e["popup"] is not None:
                b = e["box"]
                r = popups.setdefault(e["popup"], [b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]])
                r[0], r[1] = min(r[0], b["x"]), min(r[1], b["y"])
                r[2], r[3] = max(r[2], b["x"] + b["w"]), max(r[3], b["y"] + b["h"])

        def covered(e):
            b = e["box"]
            for key, (l, t, r, bottom) in popups.items():
                if e["popup"] == key:
                    continue
                if b["x"] < r and b["x"] + b["w"] > l and b["y"] < bottom and b["y"] + b["h"] > t:
                    return True
            return False

        return [{k: v for k, v in e.items() if k != "popup"} for e in self.elements if not covered(e)]

    def keep_label(self, obj, role, name, ext, in_toolbar):
        if role not in LABEL_ROLES or not name or len(name) > MAX_NAME_CHARS or not name.strip():
            return False
        width, height = ext[2], ext[3]
        if role in BUTTON_ROLES and in_toolbar and width < 2.2 * height:
            return False  # icon-only toolbar button: its name is a tooltip, not drawn text
        if len(name) * MIN_CHAR_WIDTH > width:
            return False  # drawn cut off
        return True

    def add_words(self, obj, ext):
        """One element per visible word of a multi-line text view (the document text)."""
        if "Text" not in obj.get_interfaces():
            return
        count = Atspi.Text.get_character_count(obj)
        vx, vy, vw, vh = ext
        # Only the part of the document scrolled into view: offsets under the view's corners.
        first = Atspi.Text.get_offset_at_point(obj, vx + 1, vy + 1, Atspi.CoordType.SCREEN)
        last = Atspi.Text.get_offset_at_point(obj, vx + vw - 2, vy + vh - 2, Atspi.CoordType.SCREEN)
        first = max(0, first - 200) if first >= 0 else 0
        last = min(count, last + 400) if last >= 0 else min(count, 200000)
        content = Atspi.Text.get_text(obj, first, last)
        for match in re.finditer(r"\S+", content):
            start, end = first + match.start(), first + match.end()
            r = Atspi.Text.get_range_extents(obj, start, end, Atspi.CoordType.SCREEN)
            if r.width <= 0 or r.height <= 0:
                continue
            if r.x < vx or r.y < vy or r.x + r.width > vx + vw or r.y + r.height > vy + vh:
                continue  # scrolled out of the view
            self.add(match.group(0), "word", (r.x, r.y, r.width, r.height))

    def walk(self, obj, depth, in_toolbar, popup=None):
        """Collects drawn labels under obj. `popup` identifies the open popup menu obj is inside."""
        if depth > MAX_DEPTH:
            return
        try:
            showing, visible = states(obj)
            role = obj.get_role_name()
            name = obj.get_name() or ""
        except Exception:
            return  # the object went away while walking
        if not (showing and visible):
            return
        ext = screen_extents(obj)
        if ext is not None:
            if self.keep_label(obj, role, name, ext, in_toolbar):
                self.add(name.strip(), role, ext, popup)
            if self.words and role == "text" and obj.get_state_set().contains(Atspi.StateType.MULTI_LINE):
                self.add_words(obj, ext)
        child_in_toolbar = in_toolbar or role == "tool bar"
        # Items of an open menu are drawn in a popup window stacked over the main window.
        child_popup = popup
        if role == "menu":
            self.popup_count += 1
            child_popup = self.popup_count
        for index in range(min(obj.get_child_count(), MAX_CHILDREN)):
            try:
                child = obj.get_child_at_index(index)
            except Exception:
                continue
            if child is not None:
                self.walk(child, depth + 1, child_in_toolbar, child_popup)


def find_top_level(pid, title_pattern):
    desktop = Atspi.get_desktop(0)
    names = []
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is None:
            continue
        try:
            if app.get_process_id() != pid:
                continue
        except Exception:
            continue
        for j in range(app.get_child_count()):
            top = app.get_child_at_index(j)
            if top is None:
                continue
            name = top.get_name() or ""
            names.append(name)
            if re.search(title_pattern, name) and states(top)[0]:
                return app, top
    raise SystemExit(f"no showing top-level window of pid {pid} matches /{title_pattern}/; seen: {names}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--origin", required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--words", action="store_true")
    args = parser.parse_args()
    Atspi.init()
    app, top = find_top_level(args.pid, args.title)
    collector = Collector(parse_pair(args.origin, int), parse_pair(args.size, int), args.scale, args.words)
    collector.walk(top, 0, False)
    json.dump(
        {"app": app.get_name(), "window": top.get_name(), "role": top.get_role_name(), "elements": collector.visible_elements()},
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
