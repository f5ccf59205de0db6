"""Killing the process in the middle of an upload never leaves a torn catalogue file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bot.catalog import load_catalog
from bot.library import Library

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_text(encoding="utf-8")

UPLOADER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.library import Library

    path = Path(sys.argv[1])
    variants = [Path(p).read_bytes() for p in sys.argv[2:]]

    async def main():
        library = Library.open(path)
        print("ready", flush=True)
        n = 0
        while True:
            await library.replace(variants[n % len(variants)], "upload.yaml")
            n += 1

    asyncio.run(main())
    """
)


def test_kill_during_uploads_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    live = tmp_path / "live" / "resources.yaml"
    live.parent.mkdir()
    live.write_text(SHIPPED, encoding="utf-8")
    # Large variants make each write take long enough to be interrupted part-way.
    padding = "# " + "padding " * 200_000 + "\n"
    variants = []
    for number in range(2):
        variant = tmp_path / f"variant{number}.yaml"
        variant.write_text(
            padding + SHIPPED.replace("Fine-tuning OpenAI models", f"Variant {number}", 1),
            encoding="utf-8",
        )
        variants.append(variant)
    allowed = {SHIPPED.encode(), *(v.read_bytes() for v in variants)}

    for delay in (0.05, 0.15, 0.3, 0.45, 0.7):
        process = subprocess.Popen(
            [sys.executable, "-c", UPLOADER, str(live), *map(str, variants)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

        assert live.read_bytes() in allowed, f"torn catalogue file after a kill at {delay} s"
        assert len(load_catalog(live)) == 20

    Library.open(live)
    leftovers = [p.name for p in live.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "opening the catalogue clears writes a crash cut short"
    backups = list(live.parent.glob("resources.yaml.*.bak"))
    assert backups, "every completed upload keeps the file it replaced"
    for backup in backups:
        assert backup.read_bytes() in allowed
