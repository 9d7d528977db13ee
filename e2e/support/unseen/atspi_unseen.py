#!/usr/bin/python3
"""AT-SPI ground truth for the unseen fixture set: atspi_truth.py with toolkit switches.

  /usr/bin/python3 atspi_unseen.py --toolkit gtk3|gtk4|qt  (then the atspi_truth.py arguments)

gtk3  atspi_truth.py unchanged.
gtk4  GTK 4.8 reports extents relative to the window's frame (the X window adds an even resize margin
      around it: the origin is computed from the frame's size and --size, --origin is ignored), never
      sets SHOWING (VISIBLE plus a non-empty box is used instead), and names icon-only buttons after
      their tooltip: only `label` objects (the text GTK 4 draws) and menu/check items are kept.
qt    (not used by the generator: Qt reached the bus in 1 of 6 runs.) Qt names menu-bar entries "menu item" and also lists the items of closed menus (not SHOWING,
      dropped as usual); icon-only tool buttons have no "tool bar" parent role in some apps, so
      push buttons narrower than 2.2x their height are dropped everywhere.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import atspi_truth  # noqa: E402
from atspi_truth import Atspi  # noqa: E402

GTK4_ROLES = {"label", "menu item", "check menu item", "radio menu item", "check box", "radio button", "page tab",
              "heading", "link", "table column header", "table cell", "list item", "tree item"}


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
    if toolkit == "gtk4":
        original_states = atspi_truth.states

        def states(obj):
            showing, visible = original_states(obj)
            return visible, visible

        atspi_truth.states = states
        atspi_truth.LABEL_ROLES.clear()
        atspi_truth.LABEL_ROLES.update(GTK4_ROLES)
    elif toolkit == "qt":
        keep = atspi_truth.Collector.keep_label

        def keep_label(self, obj, role, name, ext, in_toolbar):
            if role in atspi_truth.BUTTON_ROLES and ext[2] < 2.2 * ext[3]:
                return False
            return keep(self, obj, role, name, ext, in_toolbar)

        atspi_truth.Collector.keep_label = keep_label
        atspi_truth.LABEL_ROLES.add("menu item")
    elif toolkit != "gtk3":
        raise SystemExit(f"unknown toolkit {toolkit}")
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--origin", required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--words", action="store_true")
    args = parser.parse_args(rest)
    Atspi.init()
    app, top = find_top_level_patiently(args.pid, args.title)
    origin = atspi_truth.parse_pair(args.origin, int)
    size = atspi_truth.parse_pair(args.size, int)
    if toolkit == "gtk4":
        frame = atspi_truth.screen_extents(top)
        if frame is None:
            raise SystemExit("the GTK 4 window has no extents")
        origin = (-(size[0] - frame[2] * args.scale) / 2, -(size[1] - frame[3] * args.scale) / 2)
    collector = atspi_truth.Collector(origin, size, args.scale, args.words)
    collector.walk(top, 0, False)
    elements = collector.visible_elements()
    json.dump({"app": app.get_name(), "window": top.get_name(), "role": top.get_role_name(), "elements": elements},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
