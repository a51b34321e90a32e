#!/usr/bin/env python3
"""Download a French Piper voice listed in voices.toml into .models/piper/ (needs internet).

usage: .venv/bin/python voices/install.py [NAME ...]   (default: fr_FR-siwis-medium)
Same as `decroche models install --piper NAME`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devkit.install.models import main

if __name__ == "__main__":
    names = sys.argv[1:] or ["fr_FR-siwis-medium"]
    sys.exit(main(["install", "--no-whisper", "--no-pico", *(f"--piper={n}" for n in names)]))
