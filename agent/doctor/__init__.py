"""`decroche doctor`: ordered checks of an installation, each with what to do when it fails."""
