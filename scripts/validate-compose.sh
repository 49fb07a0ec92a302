#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no Docker engine is needed or run).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null
  else
    echo "docker-compose is missing: sudo apt-get install -y docker-compose" >&2
    exit 1
  fi
fi
DELEGATION_ADMIN_KEY=compose-validation-key DELEGATION_ENFORCER_KEY=compose-enforcer-key REDIS_PASSWORD=compose-validation POSTGRES_PASSWORD=compose-validation docker-compose -f docker-compose.yml config --quiet
DELEGATION_ADMIN_KEY=compose-validation-key DELEGATION_ENFORCER_KEY=compose-enforcer-key REDIS_PASSWORD=compose-validation POSTGRES_PASSWORD=compose-validation DELEGATION_STORE=postgres docker-compose -f docker-compose.yml --profile postgres config --quiet
echo "docker-compose.yml is valid"
