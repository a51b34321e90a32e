# Optional Asterisk for compose's "asterisk" profile: Debian sid's package, as the sandbox's
# (Debian 12 has none), configured by the files `decroche pbx render` writes, mounted at
# /etc/asterisk.
ARG BASE=docker.io/library/debian:sid-slim
FROM ${BASE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends asterisk >/dev/null \
    && rm -rf /var/lib/apt/lists/*
USER asterisk
ENTRYPOINT ["/usr/sbin/asterisk", "-f"]
