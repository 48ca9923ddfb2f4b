"""Draw book/_extra/favicon.ico from book/logo.svg (16, 32 and 48 px).

The logo is lines and circles only; this reads them from the SVG and draws them with Pillow,
four times larger and then reduced, so the icon matches the logo without an SVG renderer.
Run it after changing the logo: `.venv/bin/python tools/favicon.py`; `--check` (in `make lint`)
fails when the icon no longer matches the logo.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

from nndl_book._atomic import atomic_write

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "book" / "logo.svg"
ICON = ROOT / "book" / "_extra" / "favicon.ico"
SVG = "{http://www.w3.org/2000/svg}"
SIZES = (16, 32, 48)
SUPERSAMPLE = 4


def draw(size: int) -> Image.Image:
    root = ET.parse(LOGO).getroot()
    box = float(root.get("viewBox").split()[2])
    scale = size * SUPERSAMPLE / box
    image = Image.new("RGBA", (size * SUPERSAMPLE,) * 2, (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for group in root.iter(f"{SVG}g"):
        stroke = group.get("stroke")
        width = float(group.get("stroke-width", "1")) * scale
        for path in group.iter(f"{SVG}path"):
            for x0, y0, x1, y1 in re.findall(
                r"M\s*([\d.]+)\s+([\d.]+)\s*L\s*([\d.]+)\s+([\d.]+)", path.get("d")
            ):
                xy = [float(v) * scale for v in (x0, y0, x1, y1)]
                pen.line(xy, fill=stroke, width=round(width))
        for circle in group.iter(f"{SVG}circle"):
            cx, cy, r = (float(circle.get(k)) * scale for k in ("cx", "cy", "r"))
            pen.ellipse([cx - r, cy - r, cx + r, cy + r], fill=circle.get("fill"),
                        outline=stroke, width=round(width))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_bytes() -> bytes:
    out = io.BytesIO()
    images = [draw(s) for s in SIZES]
    images[-1].save(out, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the icon does not match the logo instead of writing it")
    args = parser.parse_args()
    icon = icon_bytes()
    if args.check:
        if not ICON.exists() or ICON.read_bytes() != icon:
            print(f"{ICON.relative_to(ROOT)} does not match {LOGO.relative_to(ROOT)}: "
                  "run `.venv/bin/python tools/favicon.py`", file=sys.stderr)
            return 1
        return 0
    with atomic_write(ICON, "wb") as out:
        out.write(icon)
    print(f"wrote {ICON.relative_to(ROOT)} ({len(icon)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
