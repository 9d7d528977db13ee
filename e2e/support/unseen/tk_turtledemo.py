#!/usr/bin/python3
"""Runs Python's turtle-graphics demo viewer (turtledemo) and writes ground truth from Tk itself,
in the same interpreter, with tk_idle.py's walk (same output format and `<out>.ready` file).

  /usr/bin/python3 tk_turtledemo.py --out truth.json [--example NAME] [--menu] [--delay MS]

--example loads that example's source into the text pane (its words become "word" elements).
With --menu the truth is written only once a drop-down menu of the menu bar is posted (the caller
posts it with a key, e.g. Alt+E), waiting up to 30 s more. The demo keeps running until killed.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tk_idle  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--example")
    parser.add_argument("--menu", action="store_true")
    parser.add_argument("--delay", type=int, default=4000)
    args = parser.parse_args()
    from turtledemo.__main__ import DemoWindow

    demo = DemoWindow(args.example)
    root = demo.root
    tries = [60]

    def dump_when_ready():
        if args.menu and not tk_idle.posted_menus(root) and tries[0] > 0:
            tries[0] -= 1
            root.after(500, dump_when_ready)
            return
        # Let a just-posted menu draw before walking.
        root.after(1000 if args.menu else 0, lambda: tk_idle.dump(root, args.out))

    root.after(args.delay, dump_when_ready)
    root.mainloop()


if __name__ == "__main__":
    main()
