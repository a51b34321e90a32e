#!/bin/sh
# Download a French Piper voice (needs internet). See voices.toml and install.py.
cd "$(dirname "$0")/.." && exec .venv/bin/python voices/install.py "$@"
