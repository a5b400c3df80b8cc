#!/usr/bin/env bash
# Installs what `make demo` and `make test` need on a fresh Debian machine, and nothing twice.
set -euo pipefail

need_apt=()
command -v psql >/dev/null || need_apt+=(postgresql-client)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
command -v python3 >/dev/null || need_apt+=(python3)
# Media: ffprobe checks uploads, ffmpeg transcodes them (and the tests make their clips with it).
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || need_apt+=(ffmpeg)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then need_apt+=(postgresql); fi
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The S3-compatible server that the storage tests start on loopback.
if ! command -v moto_server >/dev/null; then
  echo "Installing: moto[server] (S3 test server)"
  python3 -m pip install --quiet 'moto[server]>=5.2,<6' 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages 'moto[server]>=5.2,<6'
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || $SUDO service postgresql start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# The project expects trust (or password) access for the postgres user on loopback.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL answers on 127.0.0.1:5432 but the postgres user cannot connect." >&2
  echo "Set LYCEUM_DATABASE_URL (owner role) and LYCEUM_TEST_DATABASE_URL to a role that can create databases." >&2
  exit 1
fi
