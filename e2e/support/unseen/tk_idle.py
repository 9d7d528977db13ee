#!/usr/bin/python3
"""Runs IDLE (Python's Tk IDE) and writes ground truth from Tk itself, in the same interpreter.

  /usr/bin/python3 tk_idle.py --out truth.json [--settings] [--delay MS]

After --delay ms the script walks the widget tree of every mapped toplevel (winfo children) and
writes {"windows": [{"title", "x", "y", "w", "h", "elements": [...]}]} with screen boxes
(winfo_rootx/rooty/width/height) of widgets that draw a short text (`text` option of labels,
buttons, check/radio buttons, ttk labels/buttons, labelframes' titles), the menu bar entries (from
the menu bar clone's xposition), the entries of a drop-down menu posted from it (yposition) and
the tabs of ttk notebooks (found with `identify`). With
--settings IDLE's Settings dialog is opened first. A file `<out>.ready` is written when done; IDLE keeps
running until killed.
"""
import argparse
import json
import re
import sys
import tkinter
from tkinter import ttk

TEXT_CLASSES = {"Label", "Button", "Checkbutton", "Radiobutton", "Menubutton", "TLabel", "TButton",
                "TCheckbutton", "TRadiobutton", "TMenubutton", "Labelframe", "TLabelframe"}
roots = []
original_init = tkinter.Tk.__init__


def tk_init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    roots.append(self)


tkinter.Tk.__init__ = tk_init


def widget_text(w):
    try:
        text = str(w.cget("text"))
    except tkinter.TclError:
        return ""
    return " ".join(text.split())


def box(w):
    return {"x": w.winfo_rootx(), "y": w.winfo_rooty(), "w": w.winfo_width(), "h": w.winfo_height()}


def menubar_entries(top, out):
    menu_name = top.cget("menu") if "menu" in top.keys() else ""
    if not menu_name:
        return
    # Tk draws the menu bar with a clone of the menu named after the toplevel ("#" for "."s).
    clone_path = top.tk.eval(f"winfo children {top._w}")
    for path in clone_path.split():
        if "#" not in path:
            continue
        try:
            if top.tk.eval(f"winfo class {path}") != "Menu" or top.tk.eval(f"{path} cget -type") != "menubar":
                continue
        except tkinter.TclError:
            continue
        last = top.tk.eval(f"{path} index end")
        if last == "none":
            continue
        rx, ry = int(top.tk.eval(f"winfo rootx {path}")), int(top.tk.eval(f"winfo rooty {path}"))
        height = int(top.tk.eval(f"winfo height {path}"))
        n = int(last) + 1
        xs = [int(top.tk.eval(f"{path} xposition {i}")) for i in range(n)]
        for i in range(n):
            if top.tk.eval(f"{path} type {i}") != "cascade":
                continue
            label = top.tk.eval(f"{path} entrycget {i} -label")
            right = xs[i + 1] if i + 1 < n else xs[i] + 8 * len(label) + 16
            out.append({"name": label, "role": "menu", "box": {"x": rx + xs[i], "y": ry, "w": right - xs[i], "h": height}})


def posted_menus(top):
    """Tcl paths of the drop-down menus now posted from `top`'s menu bar (Tk posts clones under it)."""
    posted = []
    paths = top.tk.eval(f"winfo children {top._w}").split()
    while paths:
        path = paths.pop()
        paths += top.tk.eval(f"winfo children {path}").split()
        try:
            if (top.tk.eval(f"winfo class {path}") == "Menu" and top.tk.eval(f"{path} cget -type") == "normal"
                    and top.tk.eval(f"winfo ismapped {path}") == "1"):
                posted.append(path)
        except tkinter.TclError:
            continue
    return posted


def posted_menu_entries(top, out):
    """Entries of the drop-down menus posted from `top`'s menu bar, one box per entry row."""
    for path in posted_menus(top):
        last = top.tk.eval(f"{path} index end")
        if last == "none":
            continue
        n = int(last) + 1
        rx, ry = int(top.tk.eval(f"winfo rootx {path}")), int(top.tk.eval(f"winfo rooty {path}"))
        width, height = int(top.tk.eval(f"winfo width {path}")), int(top.tk.eval(f"winfo height {path}"))
        border = int(top.tk.eval(f"{path} cget -borderwidth"))
        ys = [int(top.tk.eval(f"{path} yposition {i}")) for i in range(n)] + [height - border]
        for i in range(n):
            if top.tk.eval(f"{path} type {i}") not in ("command", "cascade", "checkbutton", "radiobutton"):
                continue
            label = " ".join(top.tk.eval(f"{path} entrycget {i} -label").split())
            out.append({"name": label, "role": "menu item",
                        "box": {"x": rx + border, "y": ry + ys[i], "w": width - 2 * border, "h": ys[i + 1] - ys[i]}})


def notebook_tabs(nb, out):
    """Tab boxes of a ttk notebook: scan the tab row with `identify tab`."""
    rx, ry = nb.winfo_rootx(), nb.winfo_rooty()
    spans = {}
    for y in range(0, min(40, nb.winfo_height())):
        for x in range(0, nb.winfo_width()):
            try:
                tab = nb.tk.call(nb._w, "identify", "tab", x, y)
            except tkinter.TclError:
                continue
            if tab == "" or tab is None:
                continue
            s = spans.setdefault(int(tab), [x, y, x, y])
            s[0], s[1], s[2], s[3] = min(s[0], x), min(s[1], y), max(s[2], x), max(s[3], y)
    for index, (x0, y0, x1, y1) in sorted(spans.items()):
        out.append({"name": " ".join(str(nb.tab(index, "text")).split()), "role": "page tab",
                    "box": {"x": rx + x0, "y": ry + y0, "w": x1 - x0 + 1, "h": y1 - y0 + 1}})


def text_words(t, out):
    """Every word of a Text widget that is fully in view, boxed by its first and last character."""
    rx, ry = t.winfo_rootx(), t.winfo_rooty()
    first = int(t.index("@0,0").split(".")[0])
    last = int(t.index(f"@0,{t.winfo_height()}").split(".")[0])
    for line in range(first, last + 1):
        content = t.get(f"{line}.0", f"{line}.end")
        for match in re.finditer(r"\S+", content):
            a = t.bbox(f"{line}.{match.start()}")
            b = t.bbox(f"{line}.{match.end() - 1}")
            if not a or not b:
                continue
            out.append({"name": match.group(0), "role": "word",
                        "box": {"x": rx + a[0], "y": ry + a[1], "w": b[0] + b[2] - a[0], "h": max(a[3], b[3])}})


def listbox_items(lb, out):
    rx, ry = lb.winfo_rootx(), lb.winfo_rooty()
    for i in range(lb.size()):
        bb = lb.bbox(i)
        if bb and bb[1] >= 0 and bb[1] + bb[3] <= lb.winfo_height():
            # The row across the list (a cell, like AT-SPI's list items), not just the text's extent.
            width = lb.winfo_width() - bb[0] - 2
            out.append({"name": " ".join(str(lb.get(i)).split()), "role": "list item",
                        "box": {"x": rx + bb[0], "y": ry + bb[1], "w": max(bb[2], width), "h": bb[3]}})


def walk(w, out, top=True):
    if not w.winfo_ismapped() or (not top and isinstance(w, tkinter.Toplevel)):
        return
    cls = w.winfo_class()
    if cls == "Text":
        text_words(w, out)
    if cls == "Listbox":
        listbox_items(w, out)
    if cls in TEXT_CLASSES:
        text = widget_text(w)
        if text:
            role = {"Button": "push button", "TButton": "push button", "Checkbutton": "check box",
                    "TCheckbutton": "check box", "Radiobutton": "radio button", "TRadiobutton": "radio button",
                    "Labelframe": "frame title", "TLabelframe": "frame title"}.get(cls, "label")
            b = box(w)
            if role == "frame title":  # drawn on the frame's top edge, one text line high
                b["h"] = min(b["h"], 22)
            out.append({"name": text, "role": role, "box": b})
    if cls == "TNotebook":
        notebook_tabs(w, out)
    for child in w.winfo_children():
        walk(child, out, False)


def dump(root, path):
    windows = []
    tops = [root] + [w for w in root.winfo_children() if isinstance(w, tkinter.Toplevel)]
    for shell in list(tops[1:]):
        tops += [w for w in shell.winfo_children() if isinstance(w, tkinter.Toplevel)]
    for top in tops:
        if not top.winfo_ismapped():
            continue
        elements = []
        menubar_entries(top, elements)
        posted_menu_entries(top, elements)
        walk(top, elements)
        windows.append({"title": top.title(), **box(top), "elements": elements})
    with open(path, "w") as f:
        json.dump({"windows": windows}, f, indent=1)
    with open(path + ".ready", "w") as f:
        f.write("ok\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--settings", action="store_true")
    parser.add_argument("--delay", type=int, default=4000)
    args = parser.parse_args()
    from idlelib import pyshell

    original_mainloop = tkinter.Misc.mainloop

    def mainloop(self, n=0):
        root = self
        if args.settings:
            def open_settings():
                from idlelib.configdialog import ConfigDialog
                # A transient of the withdrawn root is never mapped: the shell window is the parent.
                shell = [w for w in root.winfo_children() if isinstance(w, tkinter.Toplevel)][0]
                ConfigDialog(shell, "Settings")
            root.after(1500, open_settings)
        root.after(args.delay, lambda: dump(root, args.out))
        tkinter.Misc.mainloop = original_mainloop
        original_mainloop(self, n)

    tkinter.Misc.mainloop = mainloop
    sys.argv = ["idle3"]
    pyshell.main()


if __name__ == "__main__":
    main()
