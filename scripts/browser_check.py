"""The printed explanation, checked in a real browser (issue 13, item 6; run by .ci/run).

Renders the Chinese and English HTML pages of the bundled registration and review examples,
prints each to PDF and to a PNG screenshot with headless Chromium, then checks that
``pdftotext`` gives back the Chinese (or English) conclusion, a clause title and the page
number, and that the CJK font is embedded: Chromium embeds Noto Sans CJK (a CFF font in a
collection) as Type 3 fonts, which ``pdffonts`` lists as embedded without a name; their font
descriptors name the font, which is checked too. The pages, PDFs and PNGs stay in
``.ci-artefacts/explain/`` (not committed; CI keeps them as artefacts). Needs Debian's
``chromium``, ``fonts-noto-cjk`` and ``poppler-utils``.

Run: ``python scripts/browser_check.py [--out .ci-artefacts/explain]``; exit 1 on a failed check.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import lnunemp_rules as L

ROOT = Path(__file__).resolve().parent.parent
_CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer",
)  # fmt: skip


def _pages() -> dict[str, tuple[str, list[str]]]:
    """name -> (HTML page, texts the printed page must give back)."""
    registration = L.assess_registration(
        json.loads((ROOT / "examples" / "registration.json").read_text(encoding="utf-8"))
    )
    review = L.assess_deregistration(
        json.loads((ROOT / "examples" / "review.json").read_text(encoding="utf-8")),
        as_of="2026-11-28",
    )
    return {
        "registration-zh": (registration.render("html", "zh"),
                            ["符合失业登记条件", "被企业解除或终止劳动关系的人员", "第1页"]),
        "registration-en": (registration.render("html", "en"),
                            ["eligible for registration", "Employment ended or terminated"]),
        "review-zh": (review.render("html", "zh"),
                      ["继续保持失业登记", "超过6个月未与公共就业服务机构联系"]),
        "review-en": (review.render("html", "en"),
                      ["remains registered", "No contact with the service"]),
    }  # fmt: skip


# The name of an embedded CJK font in a font descriptor: /FontName /ABCDEF+NotoSansCJKsc-Regular.
_CJK_FONT = re.compile(rb"/FontName /[A-Z]{6}\+([A-Za-z-]*CJK[A-Za-z-]*)")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("browser check: no chromium here (apt-get install chromium)")


def _run(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".ci-artefacts" / "explain")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    browser = _chromium()
    failures = []
    with tempfile.TemporaryDirectory(prefix="lnunemp-chromium-") as profile:
        for name, (page, expected) in _pages().items():
            html_path = args.out / f"{name}.html"
            html_path.write_text(page, encoding="utf-8")
            pdf, png = args.out / f"{name}.pdf", args.out / f"{name}.png"
            flags = [*_CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
            _run([browser, *flags, f"--print-to-pdf={pdf}", html_path.as_uri()])
            _run([browser, *flags, "--window-size=1240,1754", f"--screenshot={png}",
                  html_path.as_uri()])  # fmt: skip
            text = "".join(_run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"]).split())
            fonts = _run(["pdffonts", str(pdf)]).splitlines()[2:]
            missing = [t for t in expected if "".join(t.split()) not in text]
            embedded = all(line.split()[-5] == "yes" for line in fonts if line.strip())
            cjk = sorted(set(_CJK_FONT.findall(pdf.read_bytes()))) if embedded else []
            ok = not missing and embedded and bool(cjk or name.endswith("-en"))
            ok = ok and png.stat().st_size > 10_000
            names = ", ".join(c.decode() for c in cjk) or "none"
            print(f"{name}: pdf {pdf.stat().st_size:,} bytes, png {png.stat().st_size:,} bytes, "
                  f"texts found {len(expected) - len(missing)}/{len(expected)}, all "
                  f"{len(fonts)} fonts embedded: {embedded}, CJK font: {names}: "
                  f"{'ok' if ok else 'FAILED'}")  # fmt: skip
            if not ok:
                failures.append(f"{name}: missing {missing}, fonts:\n{fonts}")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
