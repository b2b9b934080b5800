"""The contract against a live server: Schemathesis runs every operation of openapi.yaml with every check.

    python3 -m pytest scripts/test_contract.py [--clippings BINARY] [--max-examples 50]

The server serves a new database with the seeds and a write token (sent as a header); Schemathesis reads
scripts/schemathesis.toml and scripts/schemathesis_hooks.py. Its report is printed (pytest -s shows it as
it runs; a failure shows it in any case), as are the server's error lines.
"""
import os
import re
import subprocess

from harness import ROOT, ServedArchive

TOKEN = "contract-check-token"


def test_contract(clippings, pytestconfig, verdict):
    examples = pytestconfig.getoption("max_examples")
    with ServedArchive(clippings, "--api-token", TOKEN, "--log-level", "warning", ready_path="/ready") as server:
        environment = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks",
                           PYTHONPATH=os.path.join(ROOT, "scripts"))
        command = [
            "schemathesis", "--config-file", os.path.join(ROOT, "scripts", "schemathesis.toml"), "run",
            os.path.join(ROOT, "openapi.yaml"), "--url", server.base,
            "--checks", "all", "--header", f"Authorization: Bearer {TOKEN}",
            "--max-examples", str(examples), "--workers", "1", "--seed", os.environ.get("CONTRACT_SEED", "1"),
            "--suppress-health-check", "too_slow",
        ]
        print("+", " ".join(command).replace(TOKEN, "[token]"), flush=True)
        run = subprocess.run(command, env=environment, cwd=server.folder, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        print(run.stdout, flush=True)
        alive = server.running()
        with open(server.log_path, errors="replace") as log:
            errors = [line for line in log if " error " in line or "critical" in line]
    if errors:
        print("server errors during the run:\n" + "".join(errors[-20:]))
    cases = re.search(r"^\s*(\d+ generated.*)$", run.stdout, re.M)
    summary = f"test cases: {cases.group(1)}" if cases else "no count of test cases in the report"
    problems = ([] if run.returncode == 0 else [f"schemathesis exited {run.returncode}"]) + \
        ([] if alive else ["the server exited during the run"])
    verdict(not problems, f"{examples} examples per operation: {summary}" + "".join(f"; {p}" for p in problems))
