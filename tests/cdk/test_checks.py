"""The checks every synth must pass: cdk-nag AwsSolutions (failing on any finding), cfn-lint, the CLI pins."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack, Validations
from aws_cdk import aws_s3 as s3
from cfnlint.api import ManualArgs, lint_file

import cdk_app.nag
from cdk_app.nag import acknowledge, enforce_aws_solutions, flatten_reference, wildcard_resource_finding
from cdk_app.paths import CDK_JSON, REPO_ROOT
from tests.cdk.conftest import ACCOUNT, Synthesized, cdk_json_context

REASON = "A throwaway bucket in a test app, acknowledged to show that acknowledgments work."


def nag_findings(outdir: Path) -> set[tuple[str, str]]:
    """(rule id, construct path) of every violation in the cloud assembly's validation report."""
    report = json.loads((outdir / "validation-report.json").read_text())
    return {
        (violation["ruleName"], construct["constructPath"])
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    }


def test_gather_synthesizes_with_no_unacknowledged_finding(synthesized: Synthesized) -> None:
    assert nag_findings(synthesized.outdir) == set()


def test_synth_fails_on_any_unacknowledged_finding(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    enforce_aws_solutions(app)
    stack = Stack(app, "Throwaway", env=Environment(account=ACCOUNT, region="eu-west-1"))
    s3.Bucket(stack, "Leaky")  # no access logs, TLS not enforced
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    rules = {rule for rule, _ in nag_findings(tmp_path)}
    assert {"AwsSolutions-S1", "AwsSolutions-S10"} <= rules


def test_an_acknowledged_finding_passes(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    enforce_aws_solutions(app)
    stack = Stack(app, "Throwaway", env=Environment(account=ACCOUNT, region="eu-west-1"))
    bucket = s3.Bucket(stack, "Quiet", enforce_ssl=True)
    acknowledge(bucket, "AwsSolutions-S1", REASON)
    app.synth()
    assert nag_findings(tmp_path) == set()


def test_acknowledgments_need_a_specific_reason() -> None:
    app = App()
    with pytest.raises(ValueError, match="specifically"):
        acknowledge(app, "AwsSolutions-S1", "not needed")


@dataclass
class RecordingValidations:
    """Stands in for aws_cdk.Validations: records acknowledgments instead of applying them."""

    recorded: list[tuple[str, str]]

    def of(self, scope: Any) -> Any:
        recorded = self.recorded

        class Recorder:
            def acknowledge(self, acknowledgment: Any) -> None:
                recorded.append((acknowledgment.id, scope.node.path))

            def add_plugins(self, *plugins: Any) -> None:
                Validations.of(scope).add_plugins(*plugins)

        return Recorder()


@pytest.fixture
def unacknowledged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[tuple[str, str]]]:
    recorded: list[tuple[str, str]] = []
    monkeypatch.setattr(cdk_app.nag, "Validations", RecordingValidations(recorded))
    app = App(outdir=str(tmp_path), context={**cdk_json_context(), "stage": "dev"})
    from cdk_app.app import build

    build(app, env=Environment(account=ACCOUNT, region="eu-west-1"))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    return tmp_path, recorded


def test_every_acknowledgment_answers_a_real_finding(unacknowledged: tuple[Path, list[tuple[str, str]]]) -> None:
    """Without its acknowledgments the app fails cdk-nag, and each one silences a finding at or under its scope."""
    outdir, recorded = unacknowledged
    findings = nag_findings(outdir)
    assert recorded
    for rule, path in recorded:
        assert any(found == rule and where.startswith(path) for found, where in findings), (rule, path)
    # ...and nothing else is found: the acknowledgments are exactly what the app needs.
    for found, where in findings:
        assert any(found == rule and where.startswith(path) for rule, path in recorded), (found, where)


def test_finding_ids_for_environment_agnostic_stacks() -> None:
    """`cdk synth` without credentials makes an environment-agnostic stack; the asset-bucket finding id follows."""
    stack = Stack(App(), "Agnostic")
    arn = stack.format_arn(service="s3", region="", account="", resource="cdk-x-assets-${AWS::AccountId}/*")
    assert wildcard_resource_finding(stack, arn) == (
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-x-assets-<AWS::AccountId>/*]"
    )
    assert flatten_reference({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}) == "<Bucket.Arn>/*"
    assert flatten_reference({"Fn::Sub": "a-${AWS::Region}"}) == "a-<AWS::Region>"


def test_cfn_lint_reports_no_errors(synthesized: Synthesized) -> None:
    matches = lint_file(synthesized.template_file, config=ManualArgs(regions=[synthesized.stack.region]))
    errors = [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_cli_runs_the_app_and_is_pinned_to_the_2x_line() -> None:
    cdk_json = json.loads(CDK_JSON.read_text())
    assert cdk_json["app"] == "python3 -m cdk_app.app"
    package = json.loads((REPO_ROOT / "package.json").read_text())
    cli_version = package["devDependencies"]["aws-cdk"]  # make test installs it; make dev does not
    assert cli_version.split(".")[0].lstrip("^~") == "2", "the 3.x CLI cannot read aws-cdk-lib 2.x assemblies"
