"""Tooling kept apart from the runtime (`agent/`, `nlp/`): the sandbox Asterisk, the SIP test
caller, demo/simulate/bench, the model installers and the speech measurements.

The runtime never imports it; only `agent/cli.py` dispatches its subcommands here, lazily
(tests/unit/test_devkit_apart.py holds both rules).
"""
