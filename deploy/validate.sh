#!/usr/bin/env bash
# Validates the deployment files (deploy/compose, deploy/kubernetes, deploy/grafana) against
# the build; called by .ci/run. Fails (exit 1) on any violation. Checks:
#   * every YAML file in deploy/ and conf/ parses (yamllint, relaxed preset: deploy/yamllint.yaml)
#   * deploy/validate.py: Kubernetes manifests strict-valid against the Kubernetes JSON schemas
#     bundled in kubernetes-validate (offline); the FlinkDeployment strict-valid against the
#     operator CRD's schema (deploy/schemas/); the compose file against the Compose
#     Specification schema; image tags = deploy/images.env; jar name/path = jobs/pom.xml's
#     l1-job.jar; Flink options = conf/config.yaml; the Grafana dashboard parses and names only
#     metrics the code registers (and all of them)
#   * l1 mode shared-nothing (deploy/kubernetes, deploy/compose): no ReadWriteMany claim and no
#     volume shared between the Flink pods/containers, l1.staging.dir and io.tmp.dirs on each
#     one's own emptyDir / anonymous volume, inputs and checkpoints on s3://, no credential in
#     the job's arguments (the PostgreSQL password a mounted Secret / compose secret file, the S3
#     keys from a Secret / env file); the local-mode variants (deploy/kubernetes-local-mode, an
#     overlay merged as kustomize does and, with kubectl, built by it; docker-compose.local-mode.yml)
#     hold the only shared store, labelled LOCAL MODE ONLY
#   * `docker compose config` (or docker-compose's), which needs no daemon, also with the local-mode override
# Python tools are installed once into $L1_VALIDATE_CACHE (pip --target, pinned versions).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cache="${L1_VALIDATE_CACHE:-${HOME:-/tmp}/.cache/artdag-l1/validate}"
reqs=(yamllint==1.38.0 kubernetes-validate==1.37.0 jsonschema==4.26.0 PyYAML==6.0.3)
py="$cache/py-$(echo "${reqs[*]}" | md5sum | cut -c1-12)"
python="${PYTHON:-python3}"

if [[ ! -f "$py/.complete" ]]; then
  echo "[validate] installing ${reqs[*]} into $py" >&2
  rm -rf "$py"
  "$python" -m pip install -q --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target "$py" "${reqs[@]}" >&2
  touch "$py/.complete"
fi
export PYTHONPATH="$py${PYTHONPATH:+:$PYTHONPATH}"
rc=0

echo "== yamllint (deploy/, conf/)"
if "$python" -m yamllint -c deploy/yamllint.yaml -f parsable deploy conf; then
  echo "ok    every YAML file parses"
else
  echo "FAIL  yamllint"; rc=1
fi

echo "== deploy/validate.py"
"$python" deploy/validate.py || rc=1

echo "== compose config"
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  # The compose CLI plugin is not packaged for Debian; docker-compose (1.29) is.
  echo "[validate] apt-get install docker-compose" >&2
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null 2>&1 \
     || { apt-get update -q >/dev/null 2>&1 \
          && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null 2>&1; }; then
    compose=(docker-compose)
  fi
fi
if [[ ${#compose[@]} -gt 0 ]]; then
  if out="$("${compose[@]}" -f deploy/compose/docker-compose.yml config -q 2>&1)"; then
    echo "ok    ${compose[*]} config ($("${compose[@]}" version --short 2>/dev/null || true))"
  else
    echo "$out"; echo "FAIL  ${compose[*]} config"; rc=1
  fi
  if out="$("${compose[@]}" -f deploy/compose/docker-compose.yml -f deploy/compose/docker-compose.local-mode.yml config -q 2>&1)"; then
    echo "ok    ${compose[*]} config with docker-compose.local-mode.yml"
  else
    echo "$out"; echo "FAIL  ${compose[*]} config with docker-compose.local-mode.yml"; rc=1
  fi
else
  echo "skip  compose config: neither 'docker compose' nor 'docker-compose' is installed and" \
       "docker-compose could not be installed (not root, or no apt-get); the Compose" \
       "Specification schema check above still ran"
fi

if [[ $rc -ne 0 ]]; then echo "[validate] FAILED" >&2; else echo "[validate] all deployment checks passed" >&2; fi
exit "$rc"
