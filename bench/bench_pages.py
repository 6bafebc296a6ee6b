"""Page weight of a logged-in lesson page (HTML + stylesheet + script + pictures, gzip) against its budget."""
import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NALOXONE_DEMO", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/pages.sqlite")

from app import create_app, db  # noqa: E402
from training.content import catalog  # noqa: E402
from training.demo import load_demo  # noqa: E402

BUDGET = 30 * 1024


def compressed(data: bytes) -> int:
    """Bytes on the wire with gzip at the level servers usually use."""
    return len(gzip.compress(data, compresslevel=6))


def page_weight(client, path: str) -> tuple[int, int]:
    """Compressed bytes of a page and of everything it loads from this site; and how many files."""
    html = client.get(path).data
    assets = re.findall(rb'(?:src|href)="(/(?:static|learn/media)/[^"]+)"', html)
    total = compressed(html) + sum(compressed(client.get(a.decode()).data) for a in set(assets))
    return total, len(set(assets)) + 1


def main() -> bool:
    """Print the weight of the heaviest section of every module and the worst case against the budget."""
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        db.create_all()
        load_demo()
    client = app.test_client()
    client.post("/auth/login", data={"username": "trainee", "password": "naloxone-demo-2026"})
    print("\nLesson page weight, logged in, gzip: HTML + CSS + JS + pictures of the section")
    worst = 0
    for module in catalog().modules.values():
        weights = [page_weight(client, f"/learn/{module.slug}/{n}") for n in range(1, len(module.sections("en")) + 1)]
        heaviest, files = max(weights)
        worst = max(worst, heaviest)
        print(f"  {module.slug:34} heaviest section {heaviest / 1024:5.1f} KB in {files} files")
    print(f"budget: every lesson page under {BUDGET // 1024} KB: {'met' if worst < BUDGET else 'NOT MET'} "
          f"(worst {worst / 1024:.1f} KB)")
    return worst < BUDGET


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
