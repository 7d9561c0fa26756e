"""`armap extract`: exit codes, the written file, refusal to overwrite."""

from __future__ import annotations

import pytest

from armap import cli
from geo.claims import read_claims
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
