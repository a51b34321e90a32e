"""The sandbox Asterisk (debootstrap + chroot), its CLI, and the harness that runs an agent
against it."""
