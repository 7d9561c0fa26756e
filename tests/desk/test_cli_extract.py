"""`armap extract`: exit codes, the written file, refusal to overwrite."""

from __future__ import annotations

import pytest

from armap import cli
from geo.claims import read_claims, read_stances
from tests.helpers_desk import seed


def test_extract_writes_a_claims_file_that_validates(tmp_path, capsys):
    out = tmp_path / "cand.csv"
    article = seed("003")
    argv = ["extract", str(article), "--published", "2021-08-31", "-o", str(out)]
    assert cli.main([*argv, "--outlet", "Verticall lobby"]) == 0
    assert "candidate event(s) written" in capsys.readouterr().err
    result = read_claims(out, on_invalid="report")
    assert result.problems == [] and len(result.data) >= 1
    assert cli.main(["validate", str(out)]) == 0
    first = out.read_bytes()
    assert cli.main([*argv, "--outlet", "Verticall lobby"]) == 2  # exists: no --force
    assert "already exists" in capsys.readouterr().err
    assert cli.main([*argv, "--outlet", "Verticall lobby", "--force"]) == 0
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    "content, message",
    [(b"", "is empty"), (b"  \n\n", "is empty"), (b"\xff\xfe bad", "not valid UTF-8")],
)
def test_an_unreadable_or_empty_article_exits_1(tmp_path, capsys, content, message):
    article = tmp_path / "art.txt"
    article.write_bytes(content)
    assert cli.main(["extract", str(article), "-o", str(tmp_path / "c.csv")]) == 1
    err = capsys.readouterr().err
    assert message in err and "art.txt" in err
    assert not (tmp_path / "c.csv").exists()


def test_a_missing_article_or_a_folder_exits_1(tmp_path, capsys):
    assert cli.main(["extract", str(tmp_path / "none.txt"), "-o", str(tmp_path / "c.csv")]) == 1
    assert "article not found" in capsys.readouterr().err
    assert cli.main(["extract", str(tmp_path), "-o", str(tmp_path / "c.csv")]) == 1
    assert "it is a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--published", "2022-13-01"], "expected a date as YYYY-MM-DD"),
        (["--published", "last week"], "expected a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_published_date_is_a_usage_error(tmp_path, capsys, extra, message):
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked the Taliban in Takhar.", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        cli.main(["extract", str(article), "-o", str(tmp_path / "c.csv"), *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_output_must_be_csv_in_an_existing_folder(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked the Taliban in Takhar.", encoding="utf-8")
    assert cli.main(["extract", str(article), "-o", str(tmp_path / "c.geojson")]) == 2
    assert "is not .csv" in capsys.readouterr().err
    assert cli.main(["extract", str(article), "-o", str(tmp_path / "no" / "c.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["extract", str(article)])  # -o is required
    assert exc.value.code == 2


def test_extract_stances_make_the_candidates_validate_with_them(tmp_path, capsys):
    out, stances = tmp_path / "cand.csv", tmp_path / "stances.csv"
    argv = ["extract", str(seed("004")), "-o", str(out), "--stances", str(stances)]
    assert cli.main(argv) == 0
    candidates = read_claims(out).data
    written = read_stances(stances.read_bytes(), "stances.csv").stances
    assert set(written["claim_id"]) == set(candidates["event_id"])
    denied = candidates.loc[candidates["claim_status"] == "denied", "event_id"]
    assert len(denied) and set(written.loc[written["stance"] == "denies", "claim_id"]) == set(
        denied
    )
    capsys.readouterr()
    assert cli.main(["validate", str(out)]) == 0  # reads the stances.csv beside it
    assert "stances.csv: " in capsys.readouterr().out
    # A stances.csv without those rows: every candidate lacks the stance its status needs.
    first = stances.read_bytes()
    stances.write_bytes(first.split(b"\r\n")[0] + b"\r\n")
    assert cli.main(["validate", str(out)]) == 1
    assert "a stance addressing" in capsys.readouterr().out
    assert cli.main(argv) == 2  # both exist: --force needed
    assert "already exists" in capsys.readouterr().err
    assert cli.main([*argv, "--force"]) == 0 and stances.read_bytes() == first


def test_extract_stances_must_be_csv(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked the Taliban in Takhar.", encoding="utf-8")
    argv = ["extract", str(article), "-o", str(tmp_path / "c.csv")]
    assert cli.main([*argv, "--stances", str(tmp_path / "s.json")]) == 2
    assert "--stances is a stances CSV" in capsys.readouterr().err
    assert cli.main([*argv, "--stances", str(tmp_path / "c.csv")]) == 2
    assert "--stances and -o are the same file" in capsys.readouterr().err
    assert not (tmp_path / "c.csv").exists()
