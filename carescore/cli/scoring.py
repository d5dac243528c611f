"""`carescore score` and `carescore eval`: re-score stored posts, measure the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import or_, select, update
from tqdm import tqdm

from carescore.cli.common import interactive, session
from carescore.scoring.evaluation import TASKS, evaluate, read_labelled
from carescore.scoring.score import SCORER_VERSION, score_text
from carescore.store.models import Post

BATCH = 2000


def rescore_posts(s, *, everything: bool = False, progress=None) -> int:
    """Score the posts whose scorer version is not the current one (or all of them).

    Walks the table by id in batches and commits each batch, so an interrupted run keeps
    its work and the next run resumes where it stopped. Language is detected again rather
    than taken from the stored value, which an older scorer chose.
    """
    done = 0
    last_id = 0
    while True:
        query = select(Post.id, Post.text).where(Post.id > last_id)
        if not everything:
            query = query.where(
                or_(Post.scorer_version.is_(None), Post.scorer_version != SCORER_VERSION)
            )
        rows = s.execute(query.order_by(Post.id).limit(BATCH)).all()
        if not rows:
            return done
        changes = []
        for post_id, text in rows:
            result = score_text(text)
            changes.append(
                {
                    "id": post_id,
                    "lang": result.lang,
                    "sentiment": result.sentiment,
                    "label": result.label,
                    "topics": ",".join(result.topics),
                    "scorer_version": result.version,
                }
            )
        s.execute(update(Post), changes)
        s.commit()
        done += len(rows)
        last_id = rows[-1][0]
        if progress:
            progress(len(rows))


@click.command("score")
@click.option("--rescore", is_flag=True, help="re-score every post, not only outdated ones")
def score(rescore: bool) -> None:
    """Score posts scored by another scorer version (or never scored)."""
    with (
        session() as s,
        tqdm(total=None, unit="posts", disable=not interactive(), desc="score") as bar,
    ):
        done = rescore_posts(s, everything=rescore, progress=bar.update)
    click.echo(f"{done} posts scored with scorer {SCORER_VERSION}")


@click.command("eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--task", type=click.Choice(TASKS), default="sentiment", show_default=True)
@click.option(
    "--strict-questions",
    is_flag=True,
    help="on a file without a question label, count a predicted question as wrong",
)
def eval_(file: Path, task: str, strict_questions: bool) -> None:
    """Score a labelled CSV and print one JSON object of figures.

    FILE has `text,label` (praise/fail/question/neutral) or, with --task complaint,
    `text,complaint` (1/0).
    """
    rows = read_labelled(file, task)
    report = evaluate(rows, task, map_questions=not strict_questions)
    report["scorer_version"] = SCORER_VERSION
    click.echo(json.dumps(report, sort_keys=False))


COMMANDS = [score, eval_]
