"""The Kubernetes manifests (deploy/k8s) are valid against the Kubernetes schemas shipped
with kubernetes-validate (offline), and describe web, worker, one beat and migrate."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

K8S = Path(__file__).resolve().parent.parent / "deploy" / "k8s"


def _documents():
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path.name, doc


@pytest.mark.parametrize(("name", "doc"), list(_documents()), ids=lambda v: v if isinstance(v, str) else "")
def test_manifest_is_valid_against_the_kubernetes_schema(name, doc):
    kubernetes_validate.validate(doc, "1.37.0", strict=True)


def test_web_worker_beat_migrate_with_probes_resources_and_autoscalers():
    docs = {(d["kind"], d["metadata"]["name"]): d for _n, d in _documents()}
    deployments = {name: d for (kind, name), d in docs.items() if kind == "Deployment"}
    assert set(deployments) == {"housing-aid-web", "housing-aid-worker", "housing-aid-beat"}
    assert ("Job", "housing-aid-migrate") in docs
    for deployment in deployments.values():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert "livenessProbe" in container
    assert deployments["housing-aid-beat"]["spec"]["replicas"] == 1
    assert deployments["housing-aid-beat"]["spec"]["strategy"]["type"] == "Recreate"
    web = deployments["housing-aid-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/"
    scaled = {
        d["spec"]["scaleTargetRef"]["name"]
        for (kind, _), d in docs.items()
        if kind == "HorizontalPodAutoscaler"
    }
    assert scaled == {"housing-aid-web", "housing-aid-worker"}


def test_an_invalid_manifest_is_rejected():
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two"},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, "1.37.0", strict=True)
