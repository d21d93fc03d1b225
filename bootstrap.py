#!/usr/bin/env python3
"""Bootstrap and run: the two Quick start commands of README.md.

    python3 bootstrap.py seeds     # .venv + packages, then map the seed articles into output/
    python3 bootstrap.py test      # .venv + test packages + Debian chromium/PostgreSQL/PostGIS, then pytest

Only the standard library is used here, so it runs on a fresh machine with
Python 3.11 and pip. The virtualenv lives in ``.venv/`` at the repository root
and is re-synchronised whenever ``pyproject.toml`` changes. Extra arguments after
``test`` go to pytest (``python3 bootstrap.py test -k gazetteer``); after ``seeds``
they go to ``conflictmap map``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY = BIN / "python"

#: Debian packages the test suite needs: a real browser and a real PostGIS server.
DEBIAN_TEST_PACKAGES = ["chromium", "postgresql-15", "postgresql-15-postgis-3"]


def log(msg: str) -> None:
    print(f"[bootstrap] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw) -> None:
    log(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_venv(extras: str) -> None:
    """Create ``.venv`` and install the project (editable) with ``extras``, once per pyproject version."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not PY.exists():
        log(f"creating virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()[:16]
    stamp = VENV / f".bootstrap-stamp-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target], cwd=ROOT)
    stamp.write_text(digest)


def missing_debian(packages: list[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in packages:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in out.stdout:
            missing.append(pkg)
    return missing


def ensure_debian(packages: list[str]) -> None:
    """Install Debian packages the tests need (as root); otherwise say which tests will skip."""
    missing = missing_debian(packages)
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log(
            f"cannot install {', '.join(missing)} (needs root and apt-get); "
            "browser/PostGIS tests will be skipped with a reason"
        )
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"seeds", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    verb, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if verb == "seeds":
        ensure_venv("")
        cmd = [BIN / "conflictmap", "map", "seeds/", "--out", "output/", *rest]
    else:
        ensure_venv("test,postgis,dask")
        ensure_debian(DEBIAN_TEST_PACKAGES)
        cmd = [PY, "-m", "pytest", *rest]
    log(" ".join(str(c) for c in cmd))
    return subprocess.call([str(c) for c in cmd])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
