#!/usr/bin/env bash
# Makes sure Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, user postgres with trust auth)
# are running on this machine: starts them when installed, installs them with apt-get when not.
# Used by .ci/run before the tests; safe to run again (does nothing when both already answer).
#
# It also installs Chromium when it is missing: the workbench's browser tests drive the system
# Chromium through playwright-core, which downloads no browser of its own.
#
# Usage: scripts/ensure-services.sh [redis] [postgres] [chromium]   (no argument: all three)
#
# Environment (for trying the script without touching the shared servers):
#   REDIS_PORT (default 6379), PG_PORT (default 5432), WAIT_ATTEMPTS (default 60, 0.5 s apart)
#   SKIP_CHROMIUM=1 leaves Chromium alone (machines that run no browser tests)
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
PG_PORT="${PG_PORT:-5432}"
WAIT_ATTEMPTS="${WAIT_ATTEMPTS:-60}"

log() { printf '[ensure-services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Runs a command as root (directly, or through sudo when we are not root).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get is not available; install $* by hand"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# wait_for <description> <command...>: polls up to WAIT_ATTEMPTS times, 0.5 s apart.
wait_for() {
  local what="$1"
  shift
  local i
  for ((i = 1; i <= WAIT_ATTEMPTS; i++)); do
    if "$@" >/dev/null 2>&1; then
      log "$what is up"
      return 0
    fi
    sleep 0.5
  done
  die "$what did not come up after $WAIT_ATTEMPTS attempts"
}

# ----------------------------------------------------------------------------------- Redis
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_redis() {
  # test/redis/failover.test.ts runs its own sentinels (and fails, naming this, without them).
  if ! command -v redis-sentinel >/dev/null 2>&1; then
    log "redis-sentinel is not installed"
    apt_install redis-sentinel
  fi
  if command -v redis-cli >/dev/null 2>&1 && redis_answers; then
    log "Redis answers on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    log "redis-server is not installed"
    apt_install redis-server
  fi
  log "starting redis-server on 127.0.0.1:$REDIS_PORT (no persistence)"
  # -::1 binds IPv6 loopback when the machine has it and is skipped otherwise.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "${TMPDIR:-/tmp}"
  wait_for "Redis on 127.0.0.1:$REDIS_PORT" redis_answers
}

# ------------------------------------------------------------------------------ PostgreSQL
pg_answers() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
pg_trust_works() { psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc 'SELECT 1' 2>/dev/null | grep -qx 1; }

pg_version() {
  [ -d /etc/postgresql ] || return 1
  local v
  v="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$v" ] || return 1
  printf '%s' "$v"
}

# Lets user postgres in over TCP on the loopback without a password (a CI/dev machine only).
configure_trust() {
  local version="$1" hba
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  [ -f "$hba" ] || die "cannot find $hba"
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    log "configuring trust auth for 127.0.0.1 and ::1 in $hba"
    local tmp
    tmp="$(mktemp)"
    {
      echo '# added by scripts/ensure-services.sh: passwordless local TCP for tests'
      echo 'host    all    all    127.0.0.1/32    trust'
      echo 'host    all    all    ::1/128         trust'
      cat "$hba"
    } >"$tmp"
    as_root cp "$tmp" "$hba"
    rm -f "$tmp"
    # A running cluster must reload pg_hba.conf; a stopped one reads it when it starts.
    if as_root pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
  fi
}

ensure_postgres() {
  local installed_now=0 version
  if command -v pg_isready >/dev/null 2>&1 && pg_answers; then
    log "PostgreSQL answers on 127.0.0.1:$PG_PORT"
  else
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! version="$(pg_version)"; then
      log "PostgreSQL is not installed"
      apt_install postgresql postgresql-client
      installed_now=1
      version="$(pg_version)" || die "postgresql installed but /etc/postgresql is empty"
    fi
    if [ ! -d "/etc/postgresql/$version/main" ]; then
      log "creating cluster $version/main"
      as_root pg_createcluster --port "$PG_PORT" "$version" main
    fi
    if [ "$installed_now" -eq 1 ]; then
      configure_trust "$version"
    fi
    log "starting PostgreSQL $version/main"
    local out
    if ! out="$(as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1)"; then
      if ! grep -qi 'already running' <<<"$out"; then
        log "$out"
        die "could not start PostgreSQL $version/main (see /var/log/postgresql/postgresql-$version-main.log)"
      fi
    fi
    wait_for "PostgreSQL on 127.0.0.1:$PG_PORT" pg_answers
  fi

  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  # A server installed here was given trust auth before it started (configure_trust above). A
  # machine that boots with PostgreSQL installed but never configured (this kind, today) gets it
  # now: configure_trust reloads a running cluster, so the next try sees it.
  if ! pg_trust_works && version="$(pg_version)"; then
    configure_trust "$version"
    wait_for "trust auth on 127.0.0.1:$PG_PORT" pg_trust_works
  fi
  if ! pg_trust_works; then
    die "PostgreSQL on 127.0.0.1:$PG_PORT does not let user postgres in without a password.
  Add 'host all all 127.0.0.1/32 trust' to pg_hba.conf (test machines only) and reload,
  or point the tests at another server with TEST_DATABASE_URL."
  fi
  log "PostgreSQL accepts user postgres on 127.0.0.1:$PG_PORT"
}

# -------------------------------------------------------------------------------- Chromium
chromium_path() {
  if [ -x /usr/bin/chromium ]; then
    printf '%s' /usr/bin/chromium
  else
    command -v chromium 2>/dev/null
  fi
}

ensure_chromium() {
  if [ "${SKIP_CHROMIUM:-0}" = "1" ]; then
    log "SKIP_CHROMIUM=1: not checking for Chromium"
    return 0
  fi
  local path
  if path="$(chromium_path)"; then
    log "Chromium is installed at $path"
    return 0
  fi
  log "Chromium is not installed"
  # Debian's package name (Ubuntu's chromium-browser is only a wrapper around a snap).
  apt_install chromium
  path="$(chromium_path)" || die "chromium installed but neither /usr/bin/chromium nor chromium on PATH exists"
  log "Chromium is installed at $path"
}

# Korean glyphs: the workbench's UI and the platform's notifications are Korean, and the tests'
# screenshots of them are boxes without a Korean font (Debian's Chromium pulls in none).
ensure_korean_font() {
  [ "${SKIP_CHROMIUM:-0}" = "1" ] && return 0
  if [ -d /usr/share/fonts/truetype/nanum ]; then
    log "Korean font (fonts-nanum) is installed"
    return 0
  fi
  apt_install fonts-nanum
}

# With arguments, only the named parts (`npm start` needs Redis only: its database is embedded).
parts=("$@")
[ "${#parts[@]}" -gt 0 ] || parts=(redis postgres chromium)
for part in "${parts[@]}"; do
  case "$part" in
    redis) ensure_redis ;;
    postgres) ensure_postgres ;;
    chromium) ensure_chromium; ensure_korean_font ;;
    *) die "unknown part '$part' (redis, postgres, chromium)" ;;
  esac
done
