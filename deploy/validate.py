#!/usr/bin/env python3
"""Checks of the deployment files (run by deploy/validate.sh, which provides yamllint,
kubernetes-validate, jsonschema and PyYAML on PYTHONPATH). Prints one line per check and
exits 1 when any fails."""
import glob, json, os, re, subprocess, sys

import jsonschema
import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = os.path.join(ROOT, "deploy")
K8S = os.path.join(D, "kubernetes")
COMPOSE = os.path.join(D, "compose", "docker-compose.yml")
DASHBOARD = os.path.join(D, "grafana", "l1-dashboard.json")
K8S_VERSION = os.environ.get("L1_K8S_VERSION", "1.30.0")
failures = []


def ok(msg):
    print(f"ok    {msg}")


def fail(msg):
    print(f"FAIL  {msg}")
    failures.append(msg)


def check(cond, msg, detail=""):
    if cond:
        ok(msg)
    else:
        fail(msg + (f": {detail}" if detail else ""))
    return cond


def rel(p):
    return os.path.relpath(p, ROOT)


def read(p):
    with open(p) as f:
        return f.read()


def load_all(p):
    return [d for d in yaml.safe_load_all(read(p)) if d is not None]


# --- the build: versions, jar name, main class ----------------------------------------
pom = read(os.path.join(ROOT, "pom.xml"))
flink_version = re.search(r"<flink.version>([^<]+)</flink.version>", pom).group(1)
jobs_pom = read(os.path.join(ROOT, "jobs", "pom.xml"))
m = re.search(r"<outputFile>\$\{project.build.directory\}/([^<]+\.jar)</outputFile>", jobs_pom)
jar = m.group(1) if m else None
main_class = re.search(r"<mainClass>([^<]+)</mainClass>", jobs_pom).group(1)
check(jar == "l1-job.jar", f"jobs/pom.xml builds target/{jar}", "expected l1-job.jar")
jar_path = f"/opt/flink/usrlib/{jar}"

# --- image tags: deploy/images.env is the one place --------------------------------------
env = {}
for line in read(os.path.join(D, "images.env")).splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        k, _, v = line.partition("=")
        env[k.strip()] = v.strip()
images = {k: v for k, v in env.items() if k.endswith("_IMAGE")}
check(env.get("FLINK_VERSION") == flink_version,
      f"images.env FLINK_VERSION={env.get('FLINK_VERSION')} = root pom flink.version {flink_version}")
check(images.get("FLINK_IMAGE", "").startswith(f"flink:{flink_version}-"),
      f"images.env FLINK_IMAGE={images.get('FLINK_IMAGE')} is Flink {flink_version}")
for k, v in images.items():
    check(":" in v and not v.endswith(":latest"), f"images.env {k}={v} has an explicit tag")
check(os.path.realpath(os.path.join(D, "compose", ".env")) == os.path.join(D, "images.env"),
      "deploy/compose/.env links to deploy/images.env")

# --- Dockerfile ---------------------------------------------------------------------------
dockerfile = read(os.path.join(D, "docker", "Dockerfile"))
check(re.search(r"^FROM \$\{FLINK_IMAGE\}\s*$", dockerfile, re.M) is not None,
      "Dockerfile builds FROM ${FLINK_IMAGE} (tag from images.env)")
check(re.search(rf"^COPY .*\b{re.escape(jar)} {re.escape(jar_path)}\s*$", dockerfile, re.M) is not None,
      f"Dockerfile copies {jar} to {jar_path}")

# --- Flink configuration: conf/config.yaml is the reference ------------------------------


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = str(v).lower() if isinstance(v, bool) else str(v)
    return out


conf = flatten(yaml.safe_load(read(os.path.join(ROOT, "conf", "config.yaml"))))
DIRS = ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")


def same_conf(where, flink_conf):
    bad = [f"{k}: {flink_conf.get(k)!r} != {v!r}" for k, v in conf.items()
           if k not in DIRS and flink_conf.get(k) != v]
    check(not bad, f"{where}: Flink options agree with conf/config.yaml", "; ".join(bad))
    for k in DIRS:
        check(k in flink_conf, f"{where}: sets {k}")


# --- compose ------------------------------------------------------------------------------
compose_raw = read(COMPOSE)
compose = yaml.safe_load(compose_raw)
with open(os.path.join(D, "schemas", "compose-spec.json")) as f:
    compose_schema = json.load(f)
errs = sorted(jsonschema.Draft7Validator(compose_schema).iter_errors(compose), key=str)
check(not errs, "compose file valid against the Compose Specification schema",
      "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))
for name, svc in compose["services"].items():
    img = svc.get("image", "")
    m = re.fullmatch(r"\$\{(\w+)(:?[?-][^}]*)?\}", img)
    check(m is not None and m.group(1) in images,
          f"compose {name}: image {img} comes from images.env")
for name in ("jobmanager", "taskmanager"):
    svc = compose["services"][name]
    props = {}
    for line in svc["environment"]["FLINK_PROPERTIES"].splitlines():
        if line.strip():
            k, _, v = line.partition(":")
            props[k.strip()] = v.strip()
    same_conf(f"compose {name}", props)
    b = svc.get("build", {})
    check(os.path.realpath(os.path.join(D, "compose", b.get("context", ""))) == os.path.join(ROOT, "jobs", "target")
          and os.path.realpath(os.path.join(D, "compose", b.get("context", ""), b.get("dockerfile", "")))
          == os.path.join(D, "docker", "Dockerfile")
          and b.get("args", {}).get("FLINK_IMAGE", "").startswith("${FLINK_IMAGE"),
          f"compose {name}: builds deploy/docker/Dockerfile on jobs/target with FLINK_IMAGE")
jm_cmd = compose["services"]["jobmanager"]["command"]
check(jm_cmd[:3] == ["standalone-job", "--job-classname", main_class],
      f"compose jobmanager runs {main_class} in application mode")
prom = yaml.safe_load(read(os.path.join(D, "compose", "prometheus.yml")))
lo, hi = map(int, conf["metrics.reporter.prom.port"].split("-"))
ports = [int(t.rsplit(":", 1)[1]) for sc in prom["scrape_configs"] for s in sc.get("static_configs", [])
         for t in s["targets"]] + [d["port"] for sc in prom["scrape_configs"] for d in sc.get("dns_sd_configs", [])]
check(ports and all(lo <= p <= hi for p in ports),
      f"prometheus scrapes ports {ports} within the reporter range {lo}-{hi}")

# --- Kubernetes ---------------------------------------------------------------------------
kust = yaml.safe_load(read(os.path.join(K8S, "kustomization.yaml")))
files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(K8S, "*.yaml"))
               if os.path.basename(p) != "kustomization.yaml")
check(sorted(kust["resources"]) == files, "kustomization lists every manifest in deploy/kubernetes",
      f"resources {sorted(kust['resources'])} vs files {files}")
with open(os.path.join(D, "schemas", "flinkdeployment-v1beta1.json")) as f:
    fd_schema = json.load(f)


def strict(s):
    """additionalProperties: false wherever an object lists its properties and allows no other."""
    if isinstance(s, dict):
        s = {k: strict(v) for k, v in s.items()}
        if ("properties" in s and "additionalProperties" not in s
                and not s.get("x-kubernetes-preserve-unknown-fields")):
            s["additionalProperties"] = False
        return s
    if isinstance(s, list):
        return [strict(v) for v in s]
    return s


fd_validator = jsonschema.Draft7Validator(strict(fd_schema))
docs = []
for p in sorted(glob.glob(os.path.join(K8S, "*.yaml"))):
    if os.path.basename(p) == "kustomization.yaml":
        continue
    for doc in load_all(p):
        docs.append(doc)
        what = f"{rel(p)} {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        if doc.get("kind") == "FlinkDeployment":
            errs = sorted(fd_validator.iter_errors(doc), key=str)
            check(not errs, f"{what} valid against the operator CRD schema (strict)",
                  "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))
            continue
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            ok(f"{what} valid against Kubernetes {K8S_VERSION} schemas (strict)")
        except Exception as e:  # ValidationError, SchemaNotFoundError, ...
            fail(f"{what}: {getattr(e, 'message', e)}")

secrets = {d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
           for d in docs if d["kind"] == "Secret"}
pvcs = {d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"}
sas = {d["metadata"]["name"] for d in docs if d["kind"] == "ServiceAccount"}


def secret_refs(container):
    for e in container.get("env", []):
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            yield ref["name"], ref["key"]
    for e in container.get("envFrom", []):
        if "secretRef" in e:
            yield e["secretRef"]["name"], None


for d in docs:
    if d["kind"] not in ("StatefulSet", "Deployment"):
        continue
    for c in d["spec"]["template"]["spec"]["containers"]:
        check(c["image"] in images.values(), f"{d['kind']}/{d['metadata']['name']}: image {c['image']} from images.env")
        for name, key in secret_refs(c):
            check(name in secrets and (key is None or key in secrets[name]),
                  f"{d['kind']}/{d['metadata']['name']}: secret {name}{'/' + key if key else ''} defined")

(fd,) = [d for d in docs if d["kind"] == "FlinkDeployment"]
spec = fd["spec"]
fc = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in spec["flinkConfiguration"].items()}
major, minor = flink_version.split(".")[:2]
check(spec["image"] == images.get("L1_JOB_IMAGE"), f"FlinkDeployment image {spec['image']} = images.env L1_JOB_IMAGE")
check(spec["flinkVersion"] == f"v{major}_{minor}", f"FlinkDeployment flinkVersion {spec['flinkVersion']} = Flink {flink_version}")
check(spec["job"]["jarURI"] == f"local://{jar_path}", f"FlinkDeployment jarURI {spec['job']['jarURI']} = the image's {jar_path}")
check(spec["job"].get("entryClass") == main_class, f"FlinkDeployment entryClass = {main_class}")
check(spec["job"]["upgradeMode"] == "savepoint", "FlinkDeployment upgradeMode savepoint")
check(spec.get("serviceAccount") in sas, f"FlinkDeployment serviceAccount {spec.get('serviceAccount')} defined")
same_conf("FlinkDeployment", fc)
for k in DIRS + ("high-availability.storageDir",):
    check(fc.get(k, "").startswith("s3://"), f"FlinkDeployment {k} on S3 ({fc.get(k)})")
pod = spec["podTemplate"]["spec"]
(main,) = [c for c in pod["containers"] if c["name"] == "flink-main-container"]
plugins = [e.get("value", "") for e in main.get("env", []) if e["name"] == "ENABLE_BUILT_IN_PLUGINS"]
check(plugins and re.fullmatch(rf"flink-s3-fs-(hadoop|presto)-{re.escape(flink_version)}\.jar", plugins[0]),
      f"FlinkDeployment enables the S3 plugin of Flink {flink_version} ({plugins})")
refs = list(secret_refs(main))
check({k for _, k in refs} >= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
      and all(n in secrets and k in secrets[n] for n, k in refs),
      "FlinkDeployment S3 credentials from a defined Secret")
for v in pod.get("volumes", []):
    claim = v.get("persistentVolumeClaim", {}).get("claimName")
    if claim:
        check(claim in pvcs, f"FlinkDeployment volume {v['name']}: claim {claim} defined")

# --- Grafana ------------------------------------------------------------------------------
registered = set()
for p in glob.glob(os.path.join(ROOT, "*", "src", "main", "java", "**", "*.java"), recursive=True):
    registered |= set(re.findall(r'\b(?:counter|gauge|histogram|meter)\("(\w+)"', read(p)))
FLINK_JOB_METRICS = {"lastCheckpointDuration", "lastCheckpointSize", "lastCheckpointFullSize",
                     "numberOfCompletedCheckpoints", "numberOfFailedCheckpoints",
                     "numberOfInProgressCheckpoints", "totalNumberOfCheckpoints", "numRestarts",
                     "uptime", "downtime", "restartingTime", "lastCheckpointRestoreTimestamp"}
try:
    dash = json.loads(read(DASHBOARD))
    ok(f"{rel(DASHBOARD)} parses ({len(dash['panels'])} panels)")
except ValueError as e:
    fail(f"{rel(DASHBOARD)} does not parse: {e}")
    dash = {"panels": []}
text = json.dumps(dash)
used_op = set(re.findall(r"flink_taskmanager_job_task_operator_(\w+)", text))
used_job = set(re.findall(r"flink_jobmanager_job_(\w+)", text))
other = set(re.findall(r"\b(flink_\w+)", text)) - {f"flink_taskmanager_job_task_operator_{m}" for m in used_op} \
    - {f"flink_jobmanager_job_{m}" for m in used_job}
check(used_op <= registered, f"dashboard operator metrics are registered by the code ({len(used_op)})",
      f"unknown: {sorted(used_op - registered)}")
check(registered <= used_op, "every metric the code registers is on the dashboard",
      f"missing: {sorted(registered - used_op)}")
check(used_job and used_job <= FLINK_JOB_METRICS, f"dashboard job metrics are Flink's ({sorted(used_job)})",
      f"unknown: {sorted(used_job - FLINK_JOB_METRICS)}")
check(not other, "dashboard uses no other flink_* metric", str(sorted(other)))
ds = yaml.safe_load(read(os.path.join(D, "compose", "grafana", "provisioning", "datasources", "prometheus.yml")))
uids = {x["uid"] for x in ds["datasources"]}
panel_uids = set(re.findall(r'"uid": "([^"]+)"', json.dumps([p.get("datasource") for p in dash["panels"]]
                                                            + [t.get("datasource") for p in dash["panels"] for t in p.get("targets", [])])))
check(panel_uids and panel_uids <= uids, f"dashboard datasource uids {sorted(panel_uids)} provisioned")

print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
