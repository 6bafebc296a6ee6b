"""Certificate rendering speed, size and memory against budgets, side by side with WeasyPrint.

Run: .venv/bin/python bench/bench_certificates.py [--quick]
"""

import argparse
import html
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

from certificates.codes import format_code, new_code
from certificates.pdf import CertificateLabels, CertificateView, render_certificate, write_certificates
from certificates.text import FONT_DIR
from training.qr import qr_rows

BUDGET_SINGLE_MS = 10.0
BUDGET_BATCH_S = 3.0
BUDGET_RATIO = 7.0
BUDGET_PAGE_BYTES = 4096
BUDGET_PEAK_MB = 150.0
LABELS = CertificateLabels(
    "Certificate of completion", "This certifies that", "has completed", "Issued", "Valid until", "Verify at"
)
VIEW = CertificateView(
    language="en",
    labels=LABELS,
    holder_name="Aisha Petrenko",
    programme_title="Community overdose response",
    module_titles=("Recognising an overdose", "Calling for help", "Giving naloxone", "Recovery position"),
    organisation_name="Harm Reduction Alliance of Central Asia",
    signatory_name="Dr Maria Gonzalez",
    signatory_title="Programme coordinator",
    issued_on="2 January 2025",
    valid_until="2 January 2027",
    code=new_code(),
    public_base_url="https://academy.example.org",
)


def cohort(size: int, image: bytes | None = None) -> list[CertificateView]:
    """Return a cohort of certificates with distinct names and codes."""
    return [
        replace(VIEW, holder_name=f"Trainee {n:05} Petrenko", code=new_code(), logo=image)
        for n in range(size)
    ]


def logo() -> bytes:
    """Return a 600 x 200 PNG logo with transparency, as organisations upload them."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 190, 190), fill=(15, 92, 99, 255))
    ImageDraw.Draw(image).rectangle((220, 50, 590, 150), fill=(228, 117, 43, 255))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def single_ms(view: CertificateView, iterations: int) -> tuple[float, float]:
    """Return the median wall and CPU milliseconds of one certificate in a warm process."""
    for _ in range(5):
        render_certificate(view)
    wall, cpu = [], []
    for _ in range(iterations):
        started, started_cpu = time.perf_counter(), time.process_time()
        render_certificate(view)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def batch(size: int) -> tuple[float, int]:
    """Return the seconds and bytes of one PDF holding a cohort, one page each."""
    views = cohort(size, logo())
    out = BytesIO()
    started = time.perf_counter()
    write_certificates(views, out)
    return time.perf_counter() - started, len(out.getvalue())


def html_page(view: CertificateView) -> str:
    """Return one certificate as HTML with the same content, fonts and QR code as the PDF."""
    view = replace(
        view, **{field: html.escape(getattr(view, field)) for field in ("holder_name", "organisation_name")}
    )
    rows = qr_rows(view.verify_url)
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(rows) for x, dark in enumerate(row) if dark == "1"
    )
    modules = " · ".join(view.module_titles)
    return f"""<section><p class=org>{view.organisation_name}</p><h1>{view.labels.title}</h1>
<p>{view.labels.certifies}</p><p class=name>{view.holder_name}</p><p>{view.labels.completed}</p>
<p class=prog>{view.programme_title}</p><p class=mod>{modules}</p>
<p>{view.labels.issued} <b>{view.issued_on}</b> · {view.labels.valid_until} <b>{view.valid_until}</b></p>
<div class=foot><div>{view.signatory_name}<br>{view.signatory_title}</div>
<div>{view.labels.verify_at} academy.example.org/verify<br><b>{format_code(view.code)}</b></div>
<svg viewBox="0 0 {len(rows)} {len(rows)}" width=84 height=84><path d="{path}"/></svg></div></section>"""


def html_document(views: list[CertificateView]) -> str:
    """Return a whole cohort as one HTML document, a page per certificate."""
    fonts = "".join(
        f"@font-face{{font-family:NA;font-weight:{weight};src:url({(FONT_DIR / name).as_uri()})}}"
        for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf"))
    )
    style = """@page{size:A4 landscape;margin:18pt}body{font-family:NA;text-align:center;color:#1e2a2f}
section{border:2pt solid #0f5c63;height:530pt;padding:20pt;page-break-after:always}
h1{color:#0f5c63;letter-spacing:2pt;text-transform:uppercase}.name{font-size:34pt;font-weight:bold}
.prog{font-size:20pt;color:#0f5c63;font-weight:bold}.foot{display:flex;justify-content:space-between}"""
    pages = "".join(map(html_page, views))
    return f"<html><head><style>{fonts}{style}</style></head><body>{pages}</body></html>"


def weasyprint_seconds(size: int) -> float | None:
    """Return WeasyPrint's seconds for the same cohort as one HTML document, or None without it."""
    try:
        from weasyprint import HTML  # bench-only dependency
    except ImportError:
        return None
    document = html_document(cohort(size))
    HTML(string=html_document(cohort(1))).write_pdf()
    started = time.perf_counter()
    HTML(string=document).write_pdf()
    return time.perf_counter() - started


def peak_memory(size: int) -> dict:
    """Return the peak RSS in MB of a fresh process before and after writing a cohort to a file."""
    command = [sys.executable, __file__, "--memory-child", str(size)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)  # noqa: S603
    return json.loads(done.stdout)


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux keeps ru_maxrss across exec, so a child would inherit the bench's own peak;
    VmHWM belongs to the new address space alone.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(size: int) -> None:
    """Write a cohort to a temporary file, streaming views, and print peak RSS figures as JSON."""
    render_certificate(VIEW)
    baseline = peak_rss_mb()
    views = (replace(VIEW, holder_name=f"Trainee {n:05}", code=new_code()) for n in range(size))
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        pages = write_certificates(views, out)
        seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    print(json.dumps({"pages": pages, "seconds": seconds, "baseline_mb": baseline, "peak_mb": peak}))


def report(figure: str, budget: str, ok: bool) -> bool:
    """Print a figure with its budget and return whether it missed the budget."""
    print(f"{figure}  [budget {budget}: {'ok' if ok else 'OVER BUDGET'}]")
    return not ok


def speed(quick: bool, size: int) -> tuple[int, float]:
    """Print single-certificate, batch and page-size figures; return budgets missed and batch seconds."""
    iterations = 30 if quick else 200
    bare, bare_cpu = single_ms(VIEW, iterations)
    print(f"one certificate without a logo: median {bare:.2f} ms wall, {bare_cpu:.2f} ms CPU")
    wall, cpu = single_ms(replace(VIEW, logo=logo()), iterations)
    missed = report(
        f"one certificate with a logo: median {wall:.2f} ms wall, {cpu:.2f} ms CPU",
        f"{BUDGET_SINGLE_MS} ms",
        wall <= BUDGET_SINGLE_MS,
    )
    seconds, size_bytes = batch(size)
    per_page = (size_bytes - batch(1)[1]) / (size - 1)
    budget = BUDGET_BATCH_S * size / 500
    missed += report(
        f"{size}-certificate batch, one PDF: {seconds:.2f} s, {size_bytes / 1024:.0f} KB",
        f"{budget:.1f} s",
        seconds <= budget,
    )
    missed += report(
        f"each extra page: {per_page:.0f} bytes", f"{BUDGET_PAGE_BYTES} bytes", per_page <= BUDGET_PAGE_BYTES
    )
    return missed, seconds


def comparison(size: int, seconds: float) -> int:
    """Print WeasyPrint's time for the same cohort and our ratio to it; return budgets missed."""
    weasy = weasyprint_seconds(size)
    if weasy is None:
        print("WeasyPrint: not installed (pip install weasyprint), ratio not measured")
        return 0
    return report(
        f"WeasyPrint, the same {size} pages as one HTML document: {weasy:.2f} s, "
        f"so ours is {weasy / seconds:.1f}x faster",
        f">= {BUDGET_RATIO}x",
        weasy / seconds >= BUDGET_RATIO,
    )


def memory(size: int) -> int:
    """Print the peak memory of a fresh process writing a big cohort; return budgets missed."""
    figures = peak_memory(size)
    return report(
        f"{figures['pages']}-certificate batch to a file: {figures['seconds']:.1f} s, "
        f"peak RSS {figures['peak_mb']:.0f} MB (warm process before it: {figures['baseline_mb']:.0f} MB)",
        f"< {BUDGET_PEAK_MB:.0f} MB",
        figures["peak_mb"] < BUDGET_PEAK_MB,
    )


def machine() -> None:
    """Print how busy and how fast this machine is, to read the timings by."""
    started = time.process_time()
    sum(range(10**7))
    calibration = 1000 * (time.process_time() - started)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"machine: load average {load}; sum(range(10**7)) took {calibration:.0f} ms CPU")


def main(quick: bool) -> int:
    """Measure, print figures and budgets, and return the number of budgets missed."""
    size, big = (100, 1000) if quick else (500, 5000)
    machine()
    if quick:
        print("--quick: smaller cohorts, budgets scaled to them")
    missed, seconds = speed(quick, size)
    return missed + comparison(size, seconds) + memory(big)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller cohorts and fewer iterations")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.memory_child:
        memory_child(arguments.memory_child)
    else:
        sys.exit(1 if main(arguments.quick) else 0)
