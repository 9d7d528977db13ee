#!/usr/bin/python3
"""AT-SPI ground truth for the unseen fixture set: atspi_truth.py with toolkit switches.

  /usr/bin/python3 atspi_unseen.py --toolkit gtk3|gtk4|qt  (then the atspi_truth.py arguments)

gtk3  atspi_truth.py unchanged.
gtk4  GTK 4.8 reports extents relative to the window's frame (the X window adds an even resize margin
      around it: the origin is computed from the frame's size and --size, --origin is ignored), never
      sets SHOWING (VISIBLE plus a non-empty box is used instead), and names icon-only buttons after
      their tooltip: only `label` objects (the text GTK 4 draws) and menu/check items are kept.
qt    Qt 5 (with the desktop's AT_SPI_BUS root-window property; see e2e/support/desktop.ts). Qt
      names menu-bar entries "menu item" and their menus "popup menu", and lists the items of closed
      menus (not SHOWING, dropped as usual). Icon-only tool buttons have no "tool bar" parent role
      in some apps, so push buttons narrower than 2.2x their height are dropped everywhere. A combo
      box's name is its drawn current text (kept); its closed drop-down list claims SHOWING with
      boxes at the screen origin (not walked). Item views (tree, table, list) report cells and
      headers at their full width even where the view's scroll bars or edge cut them: they are
      clipped to the view minus a scroll bar's width on the sides that overflow, so a cut-off name
      no longer fits its box and is dropped. QPlainTextEdit reports every character at its first
      line's y, less its 4 px top margin: words are moved down, only for a document that fits its view.
      With QT_SCALE_FACTOR, extents are logical pixels whose window origin is rounded: boxes are
      placed relative to the window frame's own extents.
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import atspi_truth  # noqa: E402
from atspi_truth import Atspi  # noqa: E402

GTK4_ROLES = {"label", "menu item", "check menu item", "radio menu item", "check box", "radio button", "page tab",
              "heading", "link", "table column header", "table cell", "list item", "tree item"}


VIEW_ROLES = {"tree", "table", "tree table", "list"}
# Width of a Qt 5 (Fusion) scroll bar in logical pixels.
QT_SCROLL_BAR = 16
# QTextDocument's default documentMargin, logical pixels.
QT_DOCUMENT_MARGIN = 4


class QtCollector(atspi_truth.Collector):
    """Qt 5 quirks (see the module docstring): icon buttons, combo boxes, clipped item views."""

    def __init__(self, *args):
        super().__init__(*args)
        self.clip = None  # logical screen rectangle (left, top, right, bottom) of the enclosing view

    def keep_label(self, obj, role, name, ext, in_toolbar):
        if role in atspi_truth.BUTTON_ROLES and ext[2] < 2.2 * ext[3]:
            return False
        return super().keep_label(obj, role, name, ext, in_toolbar)

    def add(self, name, role, ext, popup=None):
        if self.clip is not None:
            left, top, right, bottom = self.clip
            x, y, w, h = ext
            cl, ct, cr, cb = max(x, left), max(y, top), min(x + w, right), min(y + h, bottom)
            if cr <= cl or cb <= ct or (cr - cl) * (cb - ct) < 0.5 * w * h:
                return
            ext = (cl, ct, cr - cl, cb - ct)
        super().add(name, role, ext, popup)

    def add_words(self, obj, ext):
        """One element per word of a plain-text editor (short documents, every line in view).

        QPlainTextEdit reports each character's y as that of the document's first line and without
        the document's top margin (QTextDocument's default 4 px, which x does include): the y is
        moved down by the margin plus one line height per paragraph (checked against the ink rows
        of featherpad-notes.png). Only for a document that fits the view without scrolling or
        wrapped lines (checked: else no words at all).
        """
        if "Text" not in obj.get_interfaces():
            return
        vx, vy, vw, vh = ext
        content = Atspi.Text.get_text(obj, 0, Atspi.Text.get_character_count(obj))
        words = []
        for match in re.finditer(r"\S+", content):
            r = Atspi.Text.get_range_extents(obj, match.start(), match.end(), Atspi.CoordType.SCREEN)
            if r.width <= 0 or r.height <= 0:
                return
            words.append((match, r, content.count("\n", 0, match.start())))
        if not words or len({r.y for _, r, _ in words}) != 1:
            return  # not the quirk described above: no trustworthy boxes
        for match, r, paragraph in words:
            y = r.y + QT_DOCUMENT_MARGIN + paragraph * r.height
            if r.x + r.width > vx + vw or y + r.height > vy + vh:
                return  # wrapped or scrolled: line index and y no longer agree
        for match, r, paragraph in words:
            self.add(match.group(0), "word", (r.x, r.y + QT_DOCUMENT_MARGIN + paragraph * r.height, r.width, r.height))

    def view_clip(self, view, ext):
        """The part of an item view its cells are drawn in: minus the scroll bars of overflowing sides."""
        x, y, w, h = ext
        right, bottom = x + w - 1, y + h - 1  # the view's frame line
        wide = tall = False
        for index in range(min(view.get_child_count(), 5000)):
            child = view.get_child_at_index(index)
            if child is None:
                continue
            try:
                c = Atspi.Component.get_extents(child, Atspi.CoordType.SCREEN)
                showing, _ = atspi_truth.states(child)
            except Exception:
                continue
            wide = wide or c.x + c.width > right
            tall = tall or not showing or c.y + c.height > bottom
        if wide:
            bottom -= QT_SCROLL_BAR
        if tall:
            right -= QT_SCROLL_BAR
        return (x + 1, y + 1, right, bottom)

    def walk(self, obj, depth, in_toolbar, popup=None):
        try:
            role = obj.get_role_name()
            showing, visible = atspi_truth.states(obj)
        except Exception:
            return
        if role == "combo box":
            ext = atspi_truth.screen_extents(obj)
            name = (obj.get_name() or "").strip()
            if showing and visible and ext is not None and self.keep_label(obj, role, name, ext, in_toolbar):
                self.add(name, role, ext, popup)
            return
        if role in VIEW_ROLES and showing and visible:
            ext = atspi_truth.screen_extents(obj)
            if ext is not None:
                saved = self.clip
                self.clip = self.view_clip(obj, ext)
                try:
                    super().walk(obj, depth, in_toolbar, popup)
                finally:
                    self.clip = saved
                return
        super().walk(obj, depth, in_toolbar, popup)


def find_top_level_patiently(pid, title, seconds=90):
    """Qt and GTK 4 apps register their windows on the AT-SPI bus some time after they show them."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return atspi_truth.find_top_level(pid, title)
        except SystemExit as error:
            if time.monotonic() > deadline:
                desktop = Atspi.get_desktop(0)
                apps = []
                for i in range(desktop.get_child_count()):
                    a = desktop.get_child_at_index(i)
                    try:
                        apps.append(f"{a.get_name()}:{a.get_process_id()}")
                    except Exception as e:  # noqa: BLE001 - a dead app on the bus
                        apps.append(f"?:{e}")
                raise SystemExit(f"{error}; apps on the bus: {apps}")
            time.sleep(1)


def main():
    argv = sys.argv[1:]
    if len(argv) < 2 or argv[0] != "--toolkit":
        raise SystemExit("usage: atspi_unseen.py --toolkit gtk3|gtk4|qt ARGS-OF-atspi_truth.py")
    toolkit, rest = argv[1], argv[2:]
    collector_class = atspi_truth.Collector
    if toolkit == "gtk4":
        original_states = atspi_truth.states

        def states(obj):
            showing, visible = original_states(obj)
            return visible, visible

        atspi_truth.states = states
        atspi_truth.LABEL_ROLES.clear()
        atspi_truth.LABEL_ROLES.update(GTK4_ROLES)
    elif toolkit == "qt":
        collector_class = QtCollector
        atspi_truth.LABEL_ROLES.update({"menu item", "combo box"})
    elif toolkit != "gtk3":
        raise SystemExit(f"unknown toolkit {toolkit}")
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--origin", required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--words", action="store_true")
    parser.add_argument("--combo-boxes", action="store_true",
                        help="also keep combo boxes (GTK 3 names one after its active item; with an icon "
                             "column that is the icon's name, which the caller maps or drops)")
    args = parser.parse_args(rest)
    if args.combo_boxes:
        atspi_truth.LABEL_ROLES.add("combo box")
    Atspi.init()
    app, top = find_top_level_patiently(args.pid, args.title)
    origin = atspi_truth.parse_pair(args.origin, int)
    size = atspi_truth.parse_pair(args.size, int)
    if toolkit == "gtk4":
        frame = atspi_truth.screen_extents(top)
        if frame is None:
            raise SystemExit("the GTK 4 window has no extents")
        origin = (-(size[0] - frame[2] * args.scale) / 2, -(size[1] - frame[3] * args.scale) / 2)
    if toolkit == "qt" and args.scale != 1:
        frame = atspi_truth.screen_extents(top)
        if frame is None:
            raise SystemExit("the Qt window has no extents")
        origin = (frame[0] * args.scale, frame[1] * args.scale)
    collector = collector_class(origin, size, args.scale, args.words)
    collector.walk(top, 0, False)
    elements = collector.visible_elements()
    json.dump({"app": app.get_name(), "window": top.get_name(), "role": top.get_role_name(), "elements": elements},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
