"""`westminster eval attribution`: PolNeAR reading, scoring, the CLI, and the quality gate."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA, needs_shared_data
from westminster.cli.eval_attribution import command
from westminster.errors import DatasetError
from westminster.evaluation.attribution import (
    Attribution,
    GoldDoc,
    evaluate_attribution,
    load_polnear,
    parse_ann,
    score,
)

DEV = SHARED_DATA / "polnear" / "dev"
GATE_DOCS = 20  # the first 20 dev documents (sorted by name): fixed, about 8 s on CI
# Floors measured on those 20 docs (docs/attribution-notes.md); raise them when scores rise.
# Rules + tagger measured 0.681 overlap, 0.542 exact, 0.816 speaker after the marks, split-quote,
# lead-in and impersonal-cue rules (before them 0.658, 0.495, 0.806); without the tagger's
# weights extract_quotes falls back to the rules and fails this gate. After the example-article
# fixes (time clauses, "without announcing", nested impersonal cues): 0.683, 0.542, 0.816, too
# little to raise the floors by the margin kept above. With the tagger that reads attribution
# hints and the parse tensor (configs/attribution.cfg), datelines kept from speakers and
# borrowed main clauses kept whole: 0.708, 0.566, 0.834.
FLOOR_OVERLAP_F1 = 0.69
FLOOR_EXACT_F1 = 0.55
FLOOR_SPEAKER_ACCURACY = 0.82
FLOOR_BASELINE_MARGIN = 0.15  # ours must beat quote-marks-only by this much (overlap F1)

TEXT = 'Trump said "we will win big". Polls show he trails.'
ANN = (
    'T1\tSource 0 5\tTrump\nT2\tCue 6 10\tsaid\nT3\tContent 11 28\t"we will win big"\n'
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
    "T4\tCue 36 40\tshow\nT5\tContent 41 51\the trails.\nE2\tContent:T5 Cue:T4\n"
)


def _tiny_split(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (root / "attributions" / "doc1_ab12.ann").write_text(ANN, encoding="utf-8")
    return root


def test_parse_ann_reads_spans_and_events_in_any_order() -> None:
    gold = parse_ann("E1\tContent:T2 Cue:T1\nT1\tCue 0 4\tsaid\nT2\tContent 5 9;12 14\tx\n")
    assert gold == (Attribution(content=((5, 9), (12, 14)), cue=((0, 4),)),)
    with pytest.raises(DatasetError):
        parse_ann("E1\tContent:T9\n")


def test_score_exact_ignores_marks_and_overlap_needs_half() -> None:
    doc = GoldDoc("d", TEXT, parse_ann(ANN))
    exact_only_inner = Attribution(content=((12, 27),), cue=((6, 10),), source=((0, 5),))
    half = Attribution(content=((41, 44),))  # "he " of "he trails.": under half
    s = score([doc], [[exact_only_inner, half]])
    assert s.exact == (0.5, 0.5, 0.5)
    assert s.overlap[2] == 0.5
    assert s.cue_f1 == pytest.approx(2 / 3)
    assert s.speaker_accuracy == 1.0


def test_missing_folder_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="text/ and attributions/"):
        load_polnear(tmp_path)


def test_cli_prints_both_systems_and_rejects_bad_folder(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(command)
    runner = CliRunner()
    ok = runner.invoke(app, [str(_tiny_split(tmp_path / "split"))])
    assert ok.exit_code == 0, ok.output
    assert "ours" in ok.output and "quote marks" in ok.output and "overlap" in ok.output
    bad = runner.invoke(app, [str(tmp_path / "nowhere")])
    assert bad.exit_code == 2  # dataset problems exit 2, like usage errors
    assert "W400" in bad.output


@needs_shared_data
@pytest.mark.skipif(not DEV.exists(), reason="PolNeAR dev split is absent")
def test_quality_gate_on_fixed_dev_subset() -> None:
    report = evaluate_attribution(load_polnear(DEV, GATE_DOCS))
    assert report.ours.overlap[2] >= FLOOR_OVERLAP_F1
    assert report.ours.exact[2] >= FLOOR_EXACT_F1
    assert report.ours.speaker_accuracy >= FLOOR_SPEAKER_ACCURACY
    assert report.ours.overlap[2] >= report.baseline.overlap[2] + FLOOR_BASELINE_MARGIN
