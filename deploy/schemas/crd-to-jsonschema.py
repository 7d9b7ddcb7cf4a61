#!/usr/bin/env python3
"""CRD (apiextensions.k8s.io/v1 YAML) -> JSON Schema of one served version's object.

    crd-to-jsonschema.py CRD.yml VERSION > schema.json

The openAPIV3Schema is valid JSON Schema as far as validation goes (x-kubernetes-* and
nullable are annotations JSON Schema ignores); apiVersion and kind are pinned to the CRD's
group/version and kind. Needs PyYAML."""
import json, sys
import yaml

crd = yaml.safe_load(open(sys.argv[1]))
version = sys.argv[2]
spec = crd["spec"]
(v,) = [v for v in spec["versions"] if v["name"] == version]
schema = dict(v["schema"]["openAPIV3Schema"])
props = dict(schema.get("properties", {}))
props["apiVersion"] = {"type": "string", "enum": [f'{spec["group"]}/{version}']}
props["kind"] = {"type": "string", "enum": [spec["names"]["kind"]]}
props.setdefault("metadata", {"type": "object"})  # ObjectMeta: the API server validates it
schema["properties"] = props
schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind", "spec"})
out = {"$schema": "http://json-schema.org/draft-07/schema#",
       "title": f'{spec["names"]["kind"]} {spec["group"]}/{version}'}
out.update(schema)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
