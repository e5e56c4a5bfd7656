#!/usr/bin/env bash
# Sets up everything the test suite needs and runs it:
# the venv with all extras, Debian's Chromium for the browser tests,
# and local PostgreSQL and Redis servers (started, or installed then started).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh vision,jobs,test

sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { $sudo_ apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "$@" >/dev/null
}

# Browser for the end-to-end tests (no browser downloads: Debian's package).
command -v chromium >/dev/null 2>&1 || apt_install chromium chromium-driver

# PostgreSQL on 127.0.0.1:5432 with a database "test".
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_isready -q -h 127.0.0.1 -p 5432; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  for v in $(ls /etc/postgresql); do $sudo_ pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
pg_as_postgres "psql -qtAc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
pg_as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='test'\"" 2>/dev/null | grep -q 1 \
  || pg_as_postgres "createdb test" || true
export BACKCOACH_TEST_POSTGRES_URL=${BACKCOACH_TEST_POSTGRES_URL:-postgresql+psycopg://postgres:postgres@127.0.0.1:5432/test}

# Redis on 127.0.0.1:6379 (for the Celery job backend tests).
if ! (command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /tmp/backcoach-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/backcoach-redis >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
export BACKCOACH_TEST_REDIS_URL=${BACKCOACH_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

# On every core (pytest-xdist): each worker is a test session of its own, with its own temporary
# folders, PostgreSQL databases and Redis database (tests/parallel_support.py). A file's tests stay
# on one worker (--dist loadfile): they share module fixtures (an app, a browser, a video's analysis).
# Files are handed out in collection order, not biggest first (--no-loadscope-reorder): tests/e2e
# comes first, and its camera file (a pose model on software WebGL, the longest) must start early,
# not be left to run alone at the end while the other core idles. BACKCOACH_TEST_WORKERS=0: one process.
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${BACKCOACH_TEST_WORKERS:-auto}" \
  --dist loadfile --no-loadscope-reorder "$@"
