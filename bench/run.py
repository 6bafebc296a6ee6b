"""Run every benchmark in bench/ in turn; each prints its figures, peers and budgets."""
import subprocess
import sys
from pathlib import Path

BENCHES = sorted(Path(__file__).parent.glob("bench_*.py"))

if __name__ == "__main__":
    failed = [b.name for b in BENCHES if subprocess.run([sys.executable, str(b)], check=False).returncode]  # noqa: S603
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
