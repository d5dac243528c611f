"""`carescore score` and `carescore eval`: re-score stored posts, measure the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import bindparam, func, or_, select
from tqdm import tqdm

from carescore.cli.common import interactive, session
from carescore.scoring.evaluation import TASKS, evaluate, read_brands, read_labelled
from carescore.scoring.score import SCORER_VERSION, score_text
from carescore.store.models import Post
from carescore.store.posts import BrandDirectory, brand_label
from carescore.threads.cases import build_cases

BATCH = 2000


def rescore_posts(s, *, everything: bool = False, progress=None) -> int:
    """Score the posts whose scorer version is not the current one (or all of them).

    Walks the table by id in batches and commits each batch, so an interrupted run keeps
    its work and the next run resumes where it stopped. Language is detected again rather
    than taken from the stored value, which an older scorer chose.

    A label a reviewer set (`label_source` = human, an accepted dispute) is never
    overwritten: the guard is in the UPDATE's WHERE, so it holds even when a dispute is
    accepted while this runs. Such a post only gets its language and scorer version.
    """
    done = 0
    last_id = 0
    directory = BrandDirectory(s)
    table = Post.__table__
    scored = (
        table.update()
        .where(table.c.id == bindparam("b_id"), table.c.label_source != "human")
        .values(
            lang=bindparam("b_lang"),
            sentiment=bindparam("b_sentiment"),
            label=bindparam("b_label"),
            label_source=bindparam("b_source"),
            topics=bindparam("b_topics"),
            scorer_version=bindparam("b_version"),
        )
    )
    human = (
        table.update()
        .where(table.c.id == bindparam("b_id"), table.c.label_source == "human")
        .values(lang=bindparam("b_lang"), scorer_version=bindparam("b_version"))
    )
    while True:
        query = select(
            Post.id,
            Post.text,
            Post.label,
            Post.sentiment,
            Post.platform,
            Post.brand_id,
            Post.direction,
        ).where(Post.id > last_id)
        if not everything:
            query = query.where(
                or_(Post.scorer_version.is_(None), Post.scorer_version != SCORER_VERSION)
            )
        rows = s.execute(query.order_by(Post.id).limit(BATCH)).all()
        if not rows:
            return done
        changes = []
        relabelled = []
        for post_id, text, label, sentiment, platform, brand_id, direction in rows:
            result = score_text(text)
            new_label, source = brand_label(
                result.label, platform, text, brand_id, direction, directory
            )
            if (new_label, result.sentiment) != (label, sentiment):
                relabelled.append(post_id)
            changes.append(
                {
                    "b_id": post_id,
                    "b_lang": result.lang,
                    "b_sentiment": result.sentiment,
                    "b_label": new_label,
                    "b_source": source,
                    "b_topics": ",".join(result.topics),
                    "b_version": result.version,
                }
            )
        s.execute(scored, changes)
        s.execute(human, [{k: c[k] for k in ("b_id", "b_lang", "b_version")} for c in changes])
        # A new label can open or close a case, or change its customer's last word.
        build_cases(s, relabelled)
        s.commit()
        done += len(rows)
        last_id = rows[-1][0]
        if progress:
            progress(len(rows))


def outdated_posts(s) -> int:
    """Posts whose label an older scorer chose (or none did): until `carescore score`
    runs, a post that scorer labelled in a language the current one does not read (e.g.
    Spanish) still counts as an opinion."""
    return s.execute(
        select(func.count())
        .select_from(Post)
        .where(or_(Post.scorer_version.is_(None), Post.scorer_version != SCORER_VERSION))
    ).scalar_one()


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
@click.option(
    "--brand-column",
    default="brand",
    show_default=True,
    help="column naming each row's brand, for the per-brand shares",
)
def eval_(file: Path, task: str, strict_questions: bool, brand_column: str) -> None:
    """Score a labelled CSV and print one JSON object of figures.

    FILE has `text,label` (praise/fail/question/neutral) or, with --task complaint,
    `text,complaint` (1/0). With a brand column, the sentiment report adds each brand's
    true share of praise among praise and fail and the two estimates the ranking
    publishes (counted, and corrected for the scorer's measured confusion), with each
    estimate's mean absolute error (`brands`), and each brand's share of fail among all
    its posts, true and counted (`brand_fail_shares`).
    """
    rows = read_labelled(file, task)
    brands = read_brands(file, brand_column) if task == "sentiment" else None
    report = evaluate(rows, task, map_questions=not strict_questions, brands=brands)
    report["scorer_version"] = SCORER_VERSION
    click.echo(json.dumps(report, sort_keys=False))


COMMANDS = [score, eval_]
