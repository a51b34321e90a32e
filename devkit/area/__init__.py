"""`decroche area` (import, match, bench): the service-area index from the command line."""
