"""make bench: run every benchmark module and print one JSON object of figures.

Each module in tests/bench/ named ``bench_*.py`` defines ``run() -> dict``; its
figures are printed under the module's short name, with ``_seconds`` (its wall time) and
``_machine_speed_ms`` (machine_speed_ms() just before it). Select some with
``python -m tests.bench name ...``. Benchmarks use the database the app uses
(DATABASE_URL, else the embedded one) in a scratch database of their own.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path


def machine_speed_ms() -> float:
    """A fixed pure-Python loop (3 million multiply-adds), best of 3, in ms: about 100 on this
    2-core VM when the host is quiet, up to twice that when it is not. Printed beside each
    benchmark's figures so a slow host can be told from a slow change."""

    def loop() -> float:
        began = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i * i
        return time.perf_counter() - began

    return round(min(loop() for _ in range(3)) * 1000, 1)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.config.settings.test")
    os.environ.setdefault("DEBUG", "true")
    here = Path(__file__).resolve().parent
    names = sorted(
        m.name[len("bench_") :] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    wanted = argv or names
    unknown = set(wanted) - set(names)
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(names)}", file=sys.stderr
        )
        return 2
    figures: dict[str, object] = {}
    for name in wanted:
        speed = machine_speed_ms()
        started = time.perf_counter()
        module = importlib.import_module(f"tests.bench.bench_{name}")
        try:
            figures[name] = module.run()
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            figures[name] = {"error": f"{type(exc).__name__}: {exc}"}
        figures[name]["_seconds"] = round(time.perf_counter() - started, 2)
        figures[name]["_machine_speed_ms"] = speed
        print(f"bench {name}: done in {figures[name]['_seconds']} s", file=sys.stderr)
    print(json.dumps(figures, indent=2, sort_keys=True))
    return 1 if any("error" in f for f in figures.values() if isinstance(f, dict)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
