"""The pull request comment script (actions/github-script), run with node against a stub API."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.github.support import readme_workflow, workflow

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

MARKER = "<!-- ktr-plan -->"

# github-script runs the script as the body of an async function given these names.
HARNESS = """
const existing = JSON.parse(process.env.EXISTING_COMMENTS);
const calls = [];
const github = {
  rest: { issues: {
    listComments: 'listComments',
    updateComment: async (args) => { calls.push(['update', args]); },
    createComment: async (args) => { calls.push(['create', args]); },
  } },
  paginate: async (method, args) => { calls.push(['list', args]); return existing; },
};
const context = {
  serverUrl: 'https://github.com', runId: 42,
  repo: { owner: 'acme', repo: 'topics' },
  issue: { number: 7 },
  payload: { pull_request: { head: { sha: '0123456789abcdef' } } },
};
(async () => {
SCRIPT
})().then(
  () => console.log(JSON.stringify(calls)),
  (error) => { console.error(error); process.exit(1); },
);
"""


def comment_script(flow: dict[str, Any]) -> str:
    for job in flow["jobs"].values():
        for step in job["steps"]:
            if "github-script" in step.get("uses", ""):
                return str(step["with"]["script"])
    raise AssertionError("no github-script step")


TOPICS_SCRIPT = comment_script(workflow("topics.yml"))


def run_script(
    tmp_path: Path,
    script: str,
    report: str,
    existing: list[dict[str, Any]],
    exit_code: str = "0",
) -> list[Any]:
    report_file = tmp_path / "report.md"
    report_file.write_text(report)
    program = tmp_path / "comment.js"
    program.write_text(HARNESS.replace("SCRIPT", script))
    done = subprocess.run(
        ["node", str(program)],
        env={
            "PATH": "/usr/bin:/bin",
            "REPORT": str(report_file),
            "EXIT_CODE": exit_code,
            "EXISTING_COMMENTS": json.dumps(existing),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    calls: list[Any] = json.loads(done.stdout)
    return calls


def bot_comment(comment_id: int, body: str) -> dict[str, Any]:
    return {"id": comment_id, "user": {"type": "Bot"}, "body": body}


def writes(calls: list[Any]) -> list[Any]:
    return [call for call in calls if call[0] != "list"]


def test_the_first_plan_creates_a_comment_with_the_marker(tmp_path: Path) -> None:
    calls = run_script(tmp_path, TOPICS_SCRIPT, "### Plan\n+ orders", [])
    [(kind, args)] = writes(calls)
    assert kind == "create"
    assert args["issue_number"] == 7
    assert args["body"].startswith(f"{MARKER}\n### Plan\n+ orders")
    assert "0123456" in args["body"]


def test_a_later_plan_updates_the_same_comment(tmp_path: Path) -> None:
    existing = [
        {"id": 1, "user": {"type": "User"}, "body": f"quoting {MARKER}"},
        bot_comment(2, f"{MARKER}\nold plan"),
    ]
    calls = run_script(tmp_path, TOPICS_SCRIPT, "new plan", existing)
    [(kind, args)] = writes(calls)
    assert kind == "update"
    assert args["comment_id"] == 2
    assert "new plan" in args["body"] and "old plan" not in args["body"]


def test_other_bots_comments_are_left_alone(tmp_path: Path) -> None:
    calls = run_script(
        tmp_path,
        TOPICS_SCRIPT,
        "plan",
        [bot_comment(5, "coverage report")],
    )
    assert [call[0] for call in writes(calls)] == ["create"]


def test_a_failed_plan_says_so_in_the_comment(tmp_path: Path) -> None:
    calls = run_script(tmp_path, TOPICS_SCRIPT, "", [], exit_code="1")
    [(_, args)] = writes(calls)
    assert "**ktr plan failed** (exit code 1)" in args["body"]
    assert "/acme/topics/actions/runs/42" in args["body"]


def test_a_huge_plan_is_cut_to_fit_a_comment(tmp_path: Path) -> None:
    calls = run_script(tmp_path, TOPICS_SCRIPT, "x" * 200_000, [])
    [(_, args)] = writes(calls)
    assert len(args["body"]) < 65_536
    assert "plan truncated" in args["body"]


def test_the_readme_comment_script_creates_then_updates(tmp_path: Path) -> None:
    script = comment_script(readme_workflow())
    [(kind, _)] = writes(run_script(tmp_path, script, "plan", []))
    assert kind == "create"
    [(kind, args)] = writes(run_script(tmp_path, script, "plan", [bot_comment(9, MARKER)]))
    assert (kind, args["comment_id"]) == ("update", 9)
