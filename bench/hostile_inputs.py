"""Bench of the bounds on hostile input (issue 18 item 2): each input is generated here,
then read or imported in a child process whose wall time and peak RSS (ru_maxrss) are
printed (peak = VmHWM, the whole process: Python, qualcode and spaCy included). Baseline: the figures measured before the bounds (../shared/cases/rel-*, fuzz-*),
given on each line. Run: python bench/hostile_inputs.py [--text-mb N]."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
kind, path = sys.argv[2], sys.argv[3]
if kind == "segment":  # load spaCy first: the figure is the segmentation's
    from qualcode.segment import sentence_spans
    sentence_spans(["Warm up."])
t = time.perf_counter()
outcome = "accepted"
try:
    if kind == "source":
        from qualcode.ingest import read_source
        read_source(path)
    elif kind == "codebook":
        from qualcode.codebook import load_codebook
        load_codebook(path)
    elif kind == "manifest":
        from qualcode.ingest import read_manifest
        read_manifest(path)
    elif kind == "import":
        from qualcode.project import Project
        p = Project.create(path + ".qualcode")
        p.import_files([path], participant="R1")
        p.close()
    elif kind == "segment":
        from qualcode.segment import sentence_spans
        sentence_spans([open(path, encoding="utf-8").read()])
except Exception as exc:
    outcome = "refused: " + str(exc).splitlines()[0][:110]
# VmHWM: this process's own peak (ru_maxrss would include the parent's before exec).
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"s": time.perf_counter() - t, "mb": int(hwm.split()[1]) / 1024, "outcome": outcome}))
"""


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), kind, str(path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def docx_bomb(path: Path, inflated_mb: int) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("seed")
    buf = io.BytesIO()
    document.save(buf)
    seed = zipfile.ZipFile(buf)
    para = b"<w:p><w:r><w:t>lol lol</w:t></w:r></w:p>"
    head = seed.read("word/document.xml").partition(b"<w:body>")[0]
    body = (
        head + b"<w:body>" + para * (inflated_mb * 2**20 // len(para)) + b"</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in seed.infolist():
            out.writestr(
                info.filename, body if info.filename == "word/document.xml" else seed.read(info)
            )


def main() -> None:
    text_mb = int(sys.argv[sys.argv.index("--text-mb") + 1]) if "--text-mb" in sys.argv else 10
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cases = []
        docx_bomb(d / "bomb.docx", 1100)
        cases.append(
            (
                "source",
                d / "bomb.docx",
                f".docx bomb, {(d / 'bomb.docx').stat().st_size / 2**20:.1f} MB -> 1.1 GB",
                "before: > 300 s, 14,563 MB",
            )
        )
        lines = ["codes:", "  - &c0 {name: L0}"] + [
            f"  - &c{i} {{name: L{i}, children: [{', '.join([f'*c{i - 1}'] * 10)}]}}"
            for i in range(1, 9)
        ]
        (d / "alias.yaml").write_text("\n".join(lines) + "\n")
        cases.append(
            (
                "codebook",
                d / "alias.yaml",
                f"YAML alias bomb, {(d / 'alias.yaml').stat().st_size} bytes",
                "before: > 300 s, 2,898 MB",
            )
        )
        (d / "colons.txt").write_text(
            "Interviewer: how was it?\nR1: It was" + ":" * 10_000 + " good.\n"
        )
        cases.append(
            ("segment", d / "colons.txt", "10,000 colons, sentence segmentation", "before: 81.9 s")
        )
        (d / "equals.txt").write_text("=" * 5000 + "\nR1: Hello there. Bye.\n")
        cases.append(("segment", d / "equals.txt", "'=' x 5,000 separator line", "before: 21.7 s"))
        header = ["participant", "file", "kind"] + [f"c{i}" for i in range(15_000)]
        (d / "wide.csv").write_text(",".join(header + ["c1"]) + "\nR1,a.txt,interview\n")
        cases.append(
            ("manifest", d / "wide.csv", "manifest with a 15,000-column header", "before: 18 s")
        )
        big = d / "big.txt"
        with big.open("w") as f:
            f.write("Interviewer: tell me.\n\n")
            while f.tell() < 200 * 2**20:
                f.write(
                    "R1: It was a long day on the ward and I learnt a lot from the nurses.\n\n"
                    * 1000
                )
        cases.append(
            ("source", big, "200 MB .txt (limit 50 MB)", "before: imported in 195 s, 1.9 GB")
        )
        ok = d / "ok.txt"
        if not text_mb:  # --text-mb 0: only the refusals
            text_mb = 1
        with ok.open("w") as f:
            f.write("Interviewer: tell me.\n\n")
            while f.tell() < text_mb * 2**20:
                f.write(
                    "R1: It was a long day on the ward and I learnt a lot from the nurses.\n\n"
                    * 1000
                )
        cases.append(
            (
                "import",
                ok,
                f"{text_mb} MB .txt imported with sentences",
                "goal: peak < ~4x the file",
            )
        )
        for kind, path, what, baseline in cases:
            r = measure(kind, path)
            print(f"{what}: {r['s']:.2f} s, peak {r['mb']:.0f} MB RSS; {r['outcome']} ({baseline})")


if __name__ == "__main__":
    main()
