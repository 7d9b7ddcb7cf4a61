#!/usr/bin/env python3
"""Checks of the deployment files (run by deploy/validate.sh, which provides yamllint,
kubernetes-validate, jsonschema and PyYAML on PYTHONPATH). Prints one line per check and
exits 1 when any fails."""
import glob, json, os, re, shutil, subprocess, sys

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

# --- compose, l1 mode shared-nothing; the local-mode override ------------------------------
# Helpers shared with the Kubernetes checks below.
SECRETISH = re.compile(r"password|passwd|secret|token|access[-_.]?key|credential", re.I)


def arg_pairs(args):
    """--key value pairs of a job's arguments (a flag followed by a flag has the value None)."""
    out = []
    for i, a in enumerate(args):
        if str(a).startswith("--"):
            nxt = args[i + 1] if i + 1 < len(args) and not str(args[i + 1]).startswith("--") else None
            out.append((a, nxt))
    return out


def under(path, mount):
    return path == mount or path.startswith(mount.rstrip("/") + "/")


def compose_props(svc):
    props = {}
    for line in svc.get("environment", {}).get("FLINK_PROPERTIES", "").splitlines():
        if line.strip():
            k, _, v = line.partition(":")
            props[k.strip()] = v.strip()
    return props


def compose_mounts(svc):
    """(target, kind) of a service's volumes: kind 'anonymous', 'tmpfs', 'named' or 'bind'."""
    out = []
    for v in svc.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            if len(parts) == 1:
                out.append((parts[0], "anonymous"))
            else:
                src = parts[0]
                out.append((parts[1], "bind" if src.startswith((".", "/", "~", "$")) else "named"))
        else:
            kind = v.get("type", "volume")
            if kind == "volume":
                kind = "named" if v.get("source") else "anonymous"
            out.append((v["target"], kind))
    for t in svc.get("tmpfs", []) if isinstance(svc.get("tmpfs"), list) else [svc["tmpfs"]] if svc.get("tmpfs") else []:
        out.append((t.split(":")[0], "tmpfs"))
    return out


cdir = os.path.dirname(COMPOSE)
jm_opts = dict(arg_pairs([str(a) for a in jm_cmd]))
check(jm_opts.get("--l1.mode") == "l1", "compose (l1): the job runs in l1 mode (--l1.mode l1)")
check("--store" not in jm_opts and "--l1.store.path" not in jm_opts, "compose (l1): no --store")
c_inputs = [p for a, v in arg_pairs([str(a) for a in jm_cmd]) if a == "--input" for p in (v or "").split(",") if p]
check(c_inputs and all(p.startswith("s3://") for p in c_inputs), f"compose (l1): inputs on s3:// ({c_inputs})")
bad = [a for a, _ in arg_pairs([str(a) for a in jm_cmd]) if SECRETISH.search(a) and not a.endswith("-file")]
check(not bad, "compose (l1): no credential option in the job's arguments", str(bad))
interp = [a for a in jm_cmd if "${" in str(a)]
check(not interp, "compose (l1): no variable interpolated into the job's arguments", str(interp))
top_secrets = compose.get("secrets", {})
pw_file = jm_opts.get("--l1.postgres.password-file", "")
pw_secret = pw_file[len("/run/secrets/"):] if pw_file.startswith("/run/secrets/") else None
check(pw_secret and pw_secret in top_secrets and os.path.isfile(os.path.join(cdir, top_secrets[pw_secret].get("file", "")))
      and all(pw_secret in [s if isinstance(s, str) else s.get("source") for s in compose["services"][n].get("secrets", [])]
              for n in ("jobmanager", "taskmanager")),
      f"compose (l1): PostgreSQL password from the compose secret {pw_secret} ({pw_file})")
pg_env = compose["services"]["postgres"].get("environment", {})
check("POSTGRES_PASSWORD" not in pg_env and pg_env.get("POSTGRES_PASSWORD_FILE") == f"/run/secrets/{pw_secret}",
      "compose postgres: its password from the same secret (POSTGRES_PASSWORD_FILE)")
for name in ("jobmanager", "taskmanager"):
    svc = compose["services"][name]
    props = compose_props(svc)
    mounts = compose_mounts(svc)
    staging = jm_opts.get("--l1.staging.dir")
    check(staging and any(under(staging, t) and k in ("anonymous", "tmpfs") for t, k in mounts),
          f"compose {name}: l1.staging.dir {staging} on a per-container volume", str(mounts))
    shared = [(t, k) for t, k in mounts if k in ("named", "bind")]
    check(not shared, f"compose {name}: no named or bind volume (nothing shared between containers)", str(shared))
    tmp = props.get("io.tmp.dirs")
    check(tmp and any(under(tmp, t) and k in ("anonymous", "tmpfs") for t, k in mounts),
          f"compose {name}: io.tmp.dirs {tmp} on the per-container volume")
    for k in DIRS:
        check(props.get(k, "").startswith("s3://"), f"compose {name}: {k} on s3:// ({props.get(k)})")
    check(props.get("s3.endpoint"), f"compose {name}: s3.endpoint set")
    env = svc.get("environment", {})
    lit = [k for k in list(env) + list(props) if SECRETISH.search(k)]
    check(not lit, f"compose {name}: no credential in its environment or Flink properties", str(lit))
    envf = svc.get("env_file", [])
    envf = [envf] if isinstance(envf, str) else envf
    keys = set()
    for f in envf:
        f = f if isinstance(f, str) else f["path"]
        if os.path.isfile(os.path.join(cdir, f)):
            keys |= {l.split("=", 1)[0].strip() for l in read(os.path.join(cdir, f)).splitlines()
                     if "=" in l and not l.lstrip().startswith("#")}
    check({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= keys, f"compose {name}: S3 credentials from an env file ({envf})")
    check(re.fullmatch(rf"flink-s3-fs-(hadoop|presto)-{re.escape(flink_version)}\.jar", env.get("ENABLE_BUILT_IN_PLUGINS", "")),
          f"compose {name}: enables the S3 plugin of Flink {flink_version}")

COMPOSE_LOCAL = os.path.join(cdir, "docker-compose.local-mode.yml")
clocal = yaml.safe_load(read(COMPOSE_LOCAL))
errs = sorted(jsonschema.Draft7Validator(compose_schema).iter_errors(clocal), key=str)
check(not errs, "compose local-mode override valid against the Compose Specification schema",
      "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))
check(read(COMPOSE_LOCAL).startswith("# LOCAL MODE ONLY"), "compose local-mode override labelled LOCAL MODE ONLY")
lo_opts = dict(arg_pairs([str(a) for a in clocal["services"]["jobmanager"]["command"]]))
check(lo_opts.get("--l1.mode", "local") == "local" and lo_opts.get("--store")
      and all(any(under(lo_opts["--store"], t) and k == "named" for t, k in compose_mounts(clocal["services"][n]))
              for n in ("jobmanager", "taskmanager")),
      f"compose local mode: --store {lo_opts.get('--store')} on a named volume every Flink container mounts")
bad = [a for a in lo_opts if SECRETISH.search(a) and not a.endswith("-file")]
check(not bad, "compose local mode: no credential option in the job's arguments", str(bad))

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

# --- l1 mode, shared-nothing: deploy/kubernetes and the local-mode overlay ----------------
# In l1 mode nothing is shared between the Flink pods but the services and S3-compatible
# storage: no ReadWriteMany claim, segment staging (l1.staging.dir) on each pod's emptyDir,
# inputs, checkpoints and savepoints on s3://, no credential in the job's arguments.
def walk(x):
    """Every scalar of a parsed YAML document."""
    if isinstance(x, dict):
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
    else:
        yield x


def secret_values(all_docs):
    """The values of Secret keys that look like credentials (a user name is not one)."""
    vals = set()
    for d in all_docs:
        if d.get("kind") == "Secret":
            for k, v in {**d.get("stringData", {}), **d.get("data", {})}.items():
                if SECRETISH.search(k) and str(v):
                    vals.add(str(v))
    return vals


def check_no_secret_args(where, args, secret_vals):
    bad = [a for a, _ in arg_pairs(args) if SECRETISH.search(a) and not a.endswith("-file")]
    check(not bad, f"{where}: no credential option in the job's arguments", str(bad))
    leaked = [a for a in args if str(a) in secret_vals or "${" in str(a) and SECRETISH.search(str(a))]
    check(not leaked, f"{where}: no Secret value in the job's arguments", f"{len(leaked)} argument(s)")


def check_env_secrets(where, container):
    literal = [e["name"] for e in container.get("env", []) if SECRETISH.search(e["name"]) and "value" in e]
    check(not literal, f"{where}: credentials in the environment come from Secrets (valueFrom)", str(literal))


def mounts_by_volume(pod_spec, container):
    vols = {v["name"]: v for v in pod_spec.get("volumes", [])}
    return [(m["mountPath"], vols.get(m["name"], {})) for m in container.get("volumeMounts", [])]


def check_l1_flinkdeployment(where, fd, all_docs):
    spec = fd["spec"]
    pod = spec["podTemplate"]["spec"]
    (c,) = [x for x in pod["containers"] if x["name"] == "flink-main-container"]
    args = [str(a) for a in spec["job"].get("args", [])]
    opts = dict(arg_pairs(args))
    fconf = {k: str(v) for k, v in spec["flinkConfiguration"].items()}
    check(opts.get("--l1.mode") == "l1", f"{where}: the job runs in l1 mode (--l1.mode l1)")
    check("--store" not in opts and "--l1.store.path" not in opts and "l1.store.path" not in fconf,
          f"{where}: no --store (l1 mode keeps nothing on a shared disk)")
    claims = [v["name"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v]
    check(not claims, f"{where}: no PersistentVolumeClaim mounted in the Flink pods", str(claims))
    mounts = mounts_by_volume(pod, c)
    staging = opts.get("--l1.staging.dir") or fconf.get("l1.staging.dir")
    on = [m for m, v in mounts if staging and under(staging, m) and "emptyDir" in v]
    check(staging and on, f"{where}: l1.staging.dir {staging} on an emptyDir mount",
          f"mounts {[(m, sorted(v)) for m, v in mounts]}")
    tmp = fconf.get("io.tmp.dirs")
    if tmp:
        check(all(any(under(t, m) and "emptyDir" in v for m, v in mounts) for t in re.split(r"[,;:]", tmp) if t),
              f"{where}: io.tmp.dirs {tmp} on an emptyDir mount")
    inputs = [p for a, v in arg_pairs(args) if a == "--input" for p in (v or "").split(",") if p]
    check(inputs and all(p.startswith("s3://") for p in inputs), f"{where}: inputs on s3:// ({inputs})")
    for k in DIRS:
        check(fconf.get(k, "").startswith("s3://"), f"{where}: {k} on s3:// ({fconf.get(k)})")
    check(fconf.get("s3.endpoint", "").startswith(("http://", "https://")), f"{where}: s3.endpoint set")
    bad_conf = [k for k in fconf if SECRETISH.search(k)]
    check(not bad_conf, f"{where}: no credential in flinkConfiguration", str(bad_conf))
    check_no_secret_args(where, args, secret_values(all_docs))
    check_env_secrets(where, c)
    # The PostgreSQL password: a file from a Secret volume, or L1_PG_PASSWORD from a Secret.
    secrets_keys = {d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
                    for d in all_docs if d["kind"] == "Secret"}
    pw_file = opts.get("--l1.postgres.password-file")
    pw_env = [e for e in c.get("env", []) if e["name"] == "L1_PG_PASSWORD"
              and e.get("valueFrom", {}).get("secretKeyRef", {}).get("name") in secrets_keys]
    from_vol = []
    for m, v in mounts:
        sec = v.get("secret")
        if pw_file and sec and under(pw_file, m):
            items = {i["path"]: i["key"] for i in sec.get("items", [])}
            key = items.get(os.path.relpath(pw_file, m)) if items else os.path.relpath(pw_file, m)
            if sec.get("secretName") in secrets_keys and key in secrets_keys[sec["secretName"]]:
                from_vol.append(f"{sec['secretName']}/{key}")
    how = f" (file {pw_file} = {from_vol[0]})" if from_vol else " (env L1_PG_PASSWORD)" if pw_env else ""
    check(from_vol or pw_env, f"{where}: PostgreSQL password from a Secret{how}",
          f"--l1.postgres.password-file {pw_file} is not a mounted Secret key, and no L1_PG_PASSWORD secretKeyRef")


def rwx_in(doc):
    return "ReadWriteMany" in [x for x in walk(doc)]


(fd_l1,) = [d for d in docs if d["kind"] == "FlinkDeployment"]
check_l1_flinkdeployment("deploy/kubernetes (l1)", fd_l1, docs)
rwx = [f"{d['kind']}/{d['metadata']['name']}" for d in docs if rwx_in(d)]
check(not rwx, "deploy/kubernetes (l1): no ReadWriteMany access mode in any manifest", str(rwx))


def merge_patch(base, patch):
    """kustomize's merge of a patch into a resource without a schema (as kyaml does for CRDs):
    maps merge, lists of maps that all have a name merge by name, other lists are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            out[k] = merge_patch(base[k], v) if k in base else v
        return out
    if (isinstance(base, list) and isinstance(patch, list) and base and patch
            and all(isinstance(x, dict) and "name" in x for x in base + patch)):
        by = {x["name"]: x for x in base}
        out = [merge_patch(by[x["name"]], x) if x["name"] in by else x for x in patch]
        return out + [x for x in base if x["name"] not in {p["name"] for p in patch}]
    return patch


def named_sorted(x):
    if isinstance(x, dict):
        return {k: named_sorted(v) for k, v in x.items()}
    if isinstance(x, list):
        x = [named_sorted(v) for v in x]
        if x and all(isinstance(v, dict) and "name" in v for v in x):
            x = sorted(x, key=lambda v: v["name"])
        return x
    return x


K8S_LOCAL = os.path.join(D, "kubernetes-local-mode")
lkust = yaml.safe_load(read(os.path.join(K8S_LOCAL, "kustomization.yaml")))
check(lkust.get("resources") == ["../kubernetes", "storage.yaml"]
      and [p.get("path") for p in lkust.get("patches", [])] == ["flink-deployment-local.yaml"],
      "deploy/kubernetes-local-mode: the l1 deployment + storage.yaml + the local-mode patch")
local_storage = load_all(os.path.join(K8S_LOCAL, "storage.yaml"))
check(read(os.path.join(K8S_LOCAL, "storage.yaml")).startswith("# LOCAL MODE ONLY"),
      "deploy/kubernetes-local-mode/storage.yaml is labelled LOCAL MODE ONLY")
for doc in local_storage:
    what = f"deploy/kubernetes-local-mode/storage.yaml {doc['kind']}/{doc['metadata']['name']}"
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        ok(f"{what} valid against Kubernetes {K8S_VERSION} schemas (strict)")
    except Exception as e:
        fail(f"{what}: {getattr(e, 'message', e)}")
    check(doc.get("metadata", {}).get("labels", {}).get("artdag.io/mode") == "local",
          f"{what}: labelled artdag.io/mode=local")
(lpatch,) = load_all(os.path.join(K8S_LOCAL, "flink-deployment-local.yaml"))
fd_local = merge_patch(fd_l1, lpatch)
errs = sorted(fd_validator.iter_errors(fd_local), key=str)
check(not errs, "deploy/kubernetes-local-mode FlinkDeployment valid against the operator CRD schema (strict)",
      "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errs[:5]))
lspec = fd_local["spec"]
lpod = lspec["podTemplate"]["spec"]
(lmain,) = [x for x in lpod["containers"] if x["name"] == "flink-main-container"]
largs = [str(a) for a in lspec["job"]["args"]]
lopts = dict(arg_pairs(largs))
lclaims = {d["metadata"]["name"] for d in local_storage if d["kind"] == "PersistentVolumeClaim"}
lmounts = mounts_by_volume(lpod, lmain)
check(lopts.get("--l1.mode", "local") == "local", "deploy/kubernetes-local-mode: the job runs in local mode")
check(any(under(lopts.get("--store") or "-", m) and v.get("persistentVolumeClaim", {}).get("claimName") in lclaims
          for m, v in lmounts),
      f"deploy/kubernetes-local-mode: --store {lopts.get('--store')} on a claim of its storage.yaml")
check_no_secret_args("deploy/kubernetes-local-mode", largs, secret_values(docs))
check_env_secrets("deploy/kubernetes-local-mode", lmain)
kubectl = shutil.which("kubectl")
if kubectl:
    out = subprocess.run([kubectl, "kustomize", K8S_LOCAL], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"kubectl kustomize deploy/kubernetes-local-mode: {out.stderr.strip()[:300]}")
    else:
        built = [d for d in yaml.safe_load_all(out.stdout) if d]
        (kfd,) = [d for d in built if d["kind"] == "FlinkDeployment"]
        check(named_sorted(kfd["spec"]) == named_sorted(fd_local["spec"]),
              "kubectl kustomize deploy/kubernetes-local-mode builds the FlinkDeployment checked above")
        lrwx = [f"{d['kind']}/{d['metadata']['name']}" for d in built if rwx_in(d)]
        check(set(lrwx) == {f"PersistentVolumeClaim/{n}" for n in lclaims},
              f"deploy/kubernetes-local-mode: ReadWriteMany only in its storage.yaml claims ({lrwx})")
        out = subprocess.run([kubectl, "kustomize", K8S], capture_output=True, text=True)
        check(out.returncode == 0 and "ReadWriteMany" not in out.stdout,
              "kubectl kustomize deploy/kubernetes: builds, with no ReadWriteMany", out.stderr.strip()[:300])
else:
    print("skip  kubectl kustomize (no kubectl): the overlay was merged as kustomize does, above")

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
