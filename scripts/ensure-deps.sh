#!/usr/bin/env bash
# Installs what `make demo` and `make test` need on a fresh Debian machine (Rust, Node and
# PostgreSQL aside), and nothing twice. `make deps` and CI's `.ci/run` both run this one list.
#   scripts/ensure-deps.sh           install what is missing
#   scripts/ensure-deps.sh --check   only say what is missing (exit 1 when something is)
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

need_apt=()
command -v psql >/dev/null && command -v pg_isready >/dev/null || need_apt+=(postgresql-client)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
command -v python3 >/dev/null || need_apt+=(python3)
command -v curl >/dev/null || need_apt+=(curl)
# Media: ffprobe checks uploads, ffmpeg transcodes them (and the tests make their clips with it).
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || need_apt+=(ffmpeg)
# Certificates: CJK names are set in Noto Sans CJK, found on disk at run time (Latin, Cyrillic,
# Greek and Arabic fonts are embedded in the binary); the tests read PDFs back with pdftotext.
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
# The browser journeys drive Debian's Chromium (Playwright cannot download its own here).
[ -x "${LYCEUM_E2E_CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then need_apt+=(postgresql); fi
fi
need_rust=()
command -v rustup >/dev/null && for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || need_rust+=("$component")
done
need_pip=()
command -v moto_server >/dev/null || need_pip+=("moto[server]>=5.2,<6")

if [ "$check_only" = 1 ]; then
  missing=("${need_apt[@]}" "${need_rust[@]}" "${need_pip[@]}")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} (run 'make deps')" >&2
    exit 1
  fi
  echo "everything make demo and make test need is installed"
  exit 0
fi

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ ${#need_rust[@]} -gt 0 ]; then
  echo "Installing: ${need_rust[*]} (rustup components)"
  rustup component add "${need_rust[@]}" >/dev/null
fi

# The S3-compatible server that the storage tests start on loopback.
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "Installing: moto[server] (S3 test server)"
  python3 -m pip install --quiet "${need_pip[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "${need_pip[@]}"
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
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
