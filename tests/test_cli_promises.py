"""The command line keeps the usual promises (issue 15, item 4): ``python -m``, a version that
names the rules, ``--rules`` wherever rules are used, errors in words (as JSON with
``--json``) listing every problem, the documented exit codes without a traceback, ``lint``
reporting every file's problems, and an example at the end of every ``--help``."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lnunemp_rules import load_rule_book
from lnunemp_rules.cli import COMMANDS, build_parser, main
from lnunemp_rules.rulebook.folder import rules_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REGISTRATION = EXAMPLES / "registration.json"
REVIEW = EXAMPLES / "review.json"

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not in this checkout")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def script(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it: a fresh interpreter, ``python -m``."""
    return subprocess.run(
        [sys.executable, "-m", "lnunemp_rules", *argv],
        capture_output=True, text=True, timeout=120, check=False, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def edited_rules(tmp_path: Path) -> Path:
    """A copy of the rules folder whose manifest names another rules version."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    version = load_rule_book().version
    assert version in text
    manifest.write_text(text.replace(version, "9999.01.01"), encoding="utf-8")
    return folder


def test_python_dash_m_prints_package_and_rules_versions() -> None:
    """``python -m lnunemp_rules -V`` prints the package version and the rules version and
    digest of the rules in use."""
    from importlib.metadata import version

    book = load_rule_book()
    done = script("-V")
    assert done.returncode == 0, done.stderr
    assert f"lnunemp-rules {version('lnunemp-rules')}" in done.stdout
    assert f"rules version {book.version}" in done.stdout
    assert f"rules digest {book.digest}" in done.stdout


def test_version_follows_lnunemp_rules_dir(edited_rules: Path) -> None:
    """``--version`` names the rules LNUNEMP_RULES_DIR points at, not the packaged ones."""
    done = script("--version", env={**os.environ, "LNUNEMP_RULES_DIR": str(edited_rules)})
    assert done.returncode == 0, done.stderr
    assert "rules version 9999.01.01" in done.stdout


# Every command that decides or checks, with the arguments it needs besides --rules.
RULED = {
    "assess": ["assess", "registration", str(REGISTRATION)],
    "explain": ["explain", str(REGISTRATION)],
    "replay": ["replay", "r.json"],
    "lint": ["lint"],
    "test": ["test", "tests/fixtures"],
    "coverage": ["coverage"],
    "mutate": ["mutate"],
    "batch": ["batch", "x.jsonl", "--kind", "registration"],
    "serve": ["serve"],
    "calendar": ["calendar", "show", "2026"],
    "impact": ["impact", "r.jsonl", "--kind", "review"],
}


@pytest.mark.parametrize("command", sorted(RULED))
def test_every_deciding_command_takes_rules(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rules DIR is accepted by each command that decides or checks; a missing folder is a
    usage error that says so in words."""
    args = build_parser().parse_args([*RULED[command], "--rules", str(rules_dir())])
    assert args.rules == rules_dir().resolve()
    code, _, err = run(capsys, *RULED[command], "--rules", str(tmp_path / "nowhere"))
    assert code == 2
    assert "nowhere: no such folder" in err
    assert "Traceback" not in err


def test_commands_without_rules_are_the_others() -> None:
    """The commands that take --rules are exactly those that decide or check."""
    assert set(COMMANDS) - set(RULED) == {"schema", "generate"}


def test_assess_decides_with_the_rules_given(
    edited_rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A decision made with --rules carries that folder's rules version; without it, the
    packaged one; LNUNEMP_RULES_DIR is left as it was."""
    before = os.environ.get("LNUNEMP_RULES_DIR")
    code, out, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--json",
                       "--rules", str(edited_rules))  # fmt: skip
    assert code == 0
    assert json.loads(out)["meta"]["rules_version"] == "9999.01.01"
    assert os.environ.get("LNUNEMP_RULES_DIR") == before
    code, out, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--json")
    assert json.loads(out)["meta"]["rules_version"] == load_rule_book().version


def test_batch_workers_use_the_rules_given(
    edited_rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The worker processes of a sweep decide with the --rules folder too."""
    records = tmp_path / "in.jsonl"
    line = json.dumps(json.loads(REGISTRATION.read_text(encoding="utf-8")))
    records.write_text(f"{line}\n{line}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "batch", str(records), "--kind", "registration", "--workers", "2",
                     "--full", "-o", str(out), "--rules", str(edited_rules))  # fmt: skip
    assert code == 0
    versions = [json.loads(x)["meta"]["rules_version"] for x in out.read_text().splitlines()]
    assert versions == ["9999.01.01", "9999.01.01"]


def test_json_errors_are_one_object_listing_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json an invalid input gives one JSON object on stderr with every problem and its
    field (here three, each hand-made), exit 2, nothing on stdout."""
    data = json.loads(REGISTRATION.read_text(encoding="utf-8"))
    del data["application_date"]
    data["channel"] = "fax"
    data["unexpected"] = 1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "assess", "registration", str(path), "--json")
    assert code == 2
    assert out == ""
    report = json.loads(err)
    assert report["exit_code"] == 2
    assert report["error"] == "input"
    fields = sorted(p["field"] for p in report["problems"])
    # An unknown key is named on its parent (here the document: "(top level)"), never by the key
    # the caller sent (issue 11: errors repeat nothing the caller sent).
    assert fields == ["(top level)", "application_date", "channel"]
    assert "unexpected" not in err


def test_text_errors_list_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json every problem is one line of its own, not "(and N more problem(s))"."""
    data = json.loads(REGISTRATION.read_text(encoding="utf-8"))
    del data["application_date"]
    data["channel"] = "fax"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "assess", "registration", str(path))
    assert code == 2
    assert "more problem" not in err
    assert "  application_date: " in err
    assert "  channel: " in err


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.json", "missing.json: no such file"),
        (lambda d: d, "is a folder, not a file"),
        (lambda d: _write(d / "latin1.json", b'{"a": "\xe9"}'), "not UTF-8 text"),
        (lambda d: _write(d / "empty.json", b"  \n"), "is empty"),
        (lambda d: _write(d / "list.json", b"[1, 2]"), "expected a JSON or YAML object"),
        (lambda d: _write(d / "bad.json", b"{: [\n"), "neither JSON nor YAML"),
        (lambda d: REVIEW, "looks like a registrant to review"),
    ],
)
def test_each_error_names_the_problem_in_words(
    make: object, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad FILE is told in words (missing, a folder, not UTF-8, empty, not an object, not
    JSON or YAML, the wrong kind of document), never as an exception's name."""
    path = make(tmp_path)  # type: ignore[operator]
    code, _, err = run(capsys, "assess", "registration", str(path))
    assert code == 2
    assert words in err
    assert "Error" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_receipt_that_cannot_be_written_names_receipt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--receipt to a folder that does not exist blames --receipt, not --output."""
    code, _, err = run(capsys, "assess", "registration", str(REGISTRATION), "--receipt",
                       str(tmp_path / "no" / "r.json"))  # fmt: skip
    assert code == 2
    assert "--receipt: cannot write" in err
    assert "--output" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_exits_3_without_a_traceback() -> None:
    """Output to a full device exits 3 with the reason in words, and no traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "lnunemp_rules", "assess", "registration", str(REGISTRATION)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 3
    assert "no space left" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_internal_error_exits_3_and_shows_a_traceback_only_with_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug exits 3 naming only the exception's type (its message may hold personal data);
    --debug adds the traceback."""
    import lnunemp_rules.cli.assess as assess

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret 210102199005170032")

    monkeypatch.setattr(assess, "decide", broken)
    code, _, err = run(capsys, "assess", "registration", str(REGISTRATION))
    assert code == 3
    assert "internal error (RuntimeError)" in err
    assert "secret" not in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "assess", "registration", str(REGISTRATION), "--debug")
    assert code == 3
    assert "Traceback" in err


def test_lint_reports_every_problem_of_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three files broken at once (the fact catalogue, a rule file, a parameter file) give
    three problems with file:line or file, not only the first."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    (folder / "facts.yaml").write_text("subjects: [\n", encoding="utf-8")
    rule_file = folder / "registration" / "categories.yaml"
    lines = rule_file.read_text(encoding="utf-8").splitlines()
    rule_file.write_text("\n".join([*lines, "oops: : :"]) + "\n", encoding="utf-8")
    (folder / "parameters" / "review.yaml").write_text("contact_lapse_months: 6\n")
    code, out, _ = run(capsys, "lint", "--rules", str(folder), "--json")
    assert code == 1
    report = json.loads(out)
    where = {(Path(p["file"]).name, p["line"]) for p in report["problems"]}
    assert ("facts.yaml", 2) in where
    assert ("categories.yaml", len(lines) + 1) in where
    assert any(name == "review.yaml" for name, _ in where)
    assert report["notes"] == ["rule files not checked against facts.yaml until it is mended"]


def _helps() -> list[list[str]]:
    nested = [["assess", kind] for kind in ("registration", "review")]
    return [[], *([c] for c in COMMANDS), *nested]


@pytest.mark.parametrize("words", _helps(), ids=lambda w: " ".join(w) or "lnunemp-rules")
def test_every_help_ends_with_examples_that_parse(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each --help ends with an ``examples:`` section; every example is a command line the
    parser accepts."""
    assert main([*words, "--help"]) == 0
    out = capsys.readouterr().out
    tail = out.rstrip().split("\nexamples:\n")
    assert len(tail) == 2, f"no examples at the end of {' '.join(words)} --help"
    for line in tail[1].splitlines():
        command = line.split("#")[0].split(">")[0].strip()
        argv = shlex.split(command.split("|")[-1])
        argv = [a for a in argv if "=" not in a or a.startswith("-")]  # VAR=value prefixes
        if "--rules" in argv:  # an illustrative folder name: any rules folder parses
            argv[argv.index("--rules") + 1] = str(rules_dir())
        assert argv[0] == "lnunemp-rules", line
        if "--help" in argv or "--version" in argv:
            continue
        build_parser().parse_args(argv[1:])


def test_schema_names_its_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    """Every schema printed has the ``$schema`` key of JSON Schema draft 2020-12, as its
    --help says; where jsonschema is installed, the schema is valid in that dialect."""
    for name in ("registration-input", "review-input", "receipt", "review-decision"):
        code, out, _ = run(capsys, "schema", name)
        assert code == 0
        schema = json.loads(out)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        try:
            from jsonschema import Draft202012Validator
        except ImportError:
            continue
        Draft202012Validator.check_schema(schema)


def test_public_path_arguments_take_str_and_pathlike(tmp_path: Path) -> None:
    """Every public function that takes a path takes a str or an os.PathLike alike:
    load_rule_book, replay(rules=...) and run_batch give the same results either way."""
    from lnunemp_rules import make_receipt, replay, run_batch

    folder = rules_dir()
    assert load_rule_book(folder) is load_rule_book(str(folder))
    data = json.loads(REGISTRATION.read_text(encoding="utf-8"))
    from lnunemp_rules import assess_registration

    receipt = make_receipt(assess_registration(data), data, include_input=True)
    assert replay(receipt, rules=folder).identical
    assert replay(receipt, rules=str(folder)).identical
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(data) + "\n", encoding="utf-8")
    counts = []
    for kind_of_path in (Path, str):
        out = tmp_path / f"out-{kind_of_path.__name__}.jsonl"
        summary = run_batch(kind_of_path(source), kind_of_path(out), kind="registration",
                            errors_path=kind_of_path(tmp_path / "e.jsonl"),
                            summary_path=kind_of_path(tmp_path / "s.json"), workers=1,
                            progress=False)  # fmt: skip
        counts.append((summary.decided, out.read_text(encoding="utf-8")))
    assert counts[0] == counts[1]
    assert counts[0][0] == 1
