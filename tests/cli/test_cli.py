"""The diachi command-line tool, against golden transcripts in tests/cli/golden/.

A transcript holds commands ("$ diachi ARGS", words split like a POSIX shell) each followed by
its expected standard output and a line "[exit N]". Set DIACHI_REGEN_GOLDEN=1 to rewrite the
transcripts from the current tool (then review the diff).
"""
import json
import os
import pathlib
import shlex
import subprocess

import pytest

GOLDEN = pathlib.Path(__file__).parent / "golden"
CLI = os.environ.get("DIACHI_CLI")

pytestmark = pytest.mark.skipif(not CLI, reason="DIACHI_CLI (path of the diachi tool) not set")


def run(args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=30)


def parse_transcript(text):
    cases, current = [], None
    for line in text.splitlines():
        if line.startswith("$ diachi"):
            current = {"args": shlex.split(line[len("$ diachi"):]), "out": [], "exit": None}
            cases.append(current)
        elif line.startswith("[exit ") and current is not None:
            current["exit"] = int(line[6:-1])
        elif current is not None:
            current["out"].append(line)
    return cases


def render(cases):
    lines = []
    for case in cases:
        result = run(case["args"])
        lines.append("$ diachi " + shlex.join(case["args"]))
        lines.extend(result.stdout.splitlines())
        lines.append(f"[exit {result.returncode}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_golden(path):
    expected = path.read_text(encoding="utf-8")
    actual = render(parse_transcript(expected))
    if os.environ.get("DIACHI_REGEN_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == expected


def test_rejected_input_explains_on_stderr():
    result = run(["code", "parse", "11120 7Q89+XI2"])
    assert result.returncode == 1
    assert result.stdout == ""
    assert "invalid character 'I' at position 13" in result.stderr


def test_version_names_the_allocator_the_build_linked():
    # DIACHI_CLI_ALLOCATOR: "jemalloc" when CMake linked it (cmake/DiachiAllocator.cmake; not
    # under the sanitizers), else "malloc".
    expected = os.environ.get("DIACHI_CLI_ALLOCATOR")
    if not expected:
        pytest.skip("DIACHI_CLI_ALLOCATOR (the allocator the build linked) not set")
    result = run(["--version"])
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("diachi ")
    if expected == "jemalloc":
        # Answered by jemalloc itself (mallctl), so it is the one in this process.
        assert lines[1].startswith("allocator: jemalloc 5."), lines
    else:
        assert lines[1] == "allocator: the default malloc", lines


def test_usage_errors_exit_2():
    for args in (["frobnicate"], ["encode", "21.0"], ["encode", "21", "105", "--length", "x"],
                 ["decode", "7PH72R22+62", "extra"], ["code"], ["encode", "1", "2", "--bogus"]):
        result = run(args)
        assert result.returncode == 2, args
        assert "usage: diachi" in result.stderr


def test_json_output_parses_and_agrees_with_text():
    result = run(["code", "make", "11120", "21.0285", "105.8542", "--unit", "3", "--json"])
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["canonical"].endswith("/3")
    parsed = json.loads(run(["code", "parse", data["display_checked"], "--json"]).stdout)
    assert parsed == data
    error = json.loads(run(["decode", "7PH72I22+62", "--json"]).stdout)
    assert error["error"] == "invalid_character"


def test_json_stays_valid_for_input_that_is_not_utf8():
    result = subprocess.run([CLI, "code", "parse", b"11120\xff 7Q\xc3\xa9\"", "--json"],
                            capture_output=True, timeout=30)
    assert result.returncode == 1
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["error"] == "invalid_character"
    assert data["input"] == "11120\ufffd 7Q\u00e9\""
    assert "position 6" in data["message"]
