"""Backups (issue 18 item 5): consistent copies in backups/ before destructive steps and
daily, rotated, listed and restored (the current state backed up first)."""

import sqlite3

import pytest
from click.testing import CliRunner

from qualcode import backups
from qualcode.cli import main
from qualcode.errors import NotFoundError
from qualcode.models import NewDocument
from qualcode.project import Project


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def doc(i: int) -> NewDocument:
    return NewDocument(f"R{i}", "interview", f"R{i}", f"Text number {i}.", f"r{i}.txt", f"s{i}")


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "study.qualcode"
    with Project.create(p, coder="t") as project:
        project.add_code("Theme")
        project.add_code("Other")
        project.add_documents([doc(1)])
        project.add_coding(1, 0, 4, "Theme")
    return p


def counts(path) -> tuple[int, int, int]:
    with Project.open(path, daily_backup=False) as p:
        s = p.summary()
    return s["documents"], s["codes"], s["codings"]


def test_backup_includes_what_is_still_in_the_wal(path):
    reader = Project.open(path, daily_backup=False)  # keeps the WAL from being folded in
    with Project.open(path, daily_backup=False) as p:
        p.add_coding(1, 5, 11, "Theme")
        assert (path.parent / f"{path.name}-wal").stat().st_size > 0
        made = p.backup("manual")
    reader.close()
    assert made.parent == path.parent / "backups"
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 2
    conn.close()


def test_destructive_steps_and_the_first_open_of_a_day_back_up_first(path, tmp_path):
    with Project.open(path) as p:  # first open today
        p.merge_codes("Other", "Theme")
        p.delete_document(1)
        (tmp_path / "new.txt").write_text("R2: hello there.")
        p.import_files([tmp_path / "new.txt"], participant="R2", sentences=False)
    with Project.open(path) as p:  # second open today: no new daily backup
        reasons = [b.reason for b in p.backups()]
        found = p.backups()
    assert reasons == ["daily", "before-merge", "before-delete", "before-import"]
    # Each backup holds the state just before its step.
    assert [(b.documents, b.codes, b.codings) for b in found] == [
        (1, 2, 1),
        (1, 2, 1),
        (1, 1, 1),
        (0, 1, 0),
    ]


def test_rotation_keeps_the_newest_n(path):
    with Project.open(path, daily_backup=False) as p:
        p.set_backups_keep(3)
        made = [p.backup(f"step-{i}") for i in range(6)]
        kept = [b.path for b in p.backups()]
    assert kept == made[-3:]
    assert not any(m.exists() for m in made[:3])
    code, out = run("config", path, "--backups", "2")
    assert code == 0 and out.strip().endswith("backups=2")
    assert len(backups.list_backups(path)) == 2


def test_backups_off_makes_no_automatic_backup(path):
    run("config", path, "--backups", "0")  # (its own open made today's daily backup)
    before = backups.list_backups(path)
    with Project.open(path) as p:
        p.merge_codes("Other", "Theme")
        assert p.backups() == before


def test_cli_backup_list_and_restore(path, tmp_path):
    code, out = run("backup", path)
    assert code == 0 and out.startswith("backed up to ")
    name = backups.list_backups(path)[-1].name
    code, out = run("backup", path, "-o", tmp_path / "copy.qualcode")
    assert code == 0 and counts(tmp_path / "copy.qualcode") == (1, 2, 1)
    with Project.open(path, daily_backup=False) as p:
        p.add_coding(1, 5, 11, "Other")
    assert counts(path) == (1, 2, 2)
    code, out = run("backups", path)
    assert code == 0
    line = next(row for row in out.splitlines() if name in row)
    assert line.split()[1:5] == ["manual", "1", "2", "1"]
    code, out = run("restore-backup", path, name, "--yes")
    assert code == 0, out
    assert out.splitlines()[0].startswith("backed up the current state to ")
    assert counts(path) == (1, 2, 1)
    before = backups.list_backups(path)[-1]
    assert before.reason == "before-restore" and (before.codings, before.documents) == (2, 1)
    code, out = run("restore-backup", path, "nope", "--yes")
    assert code == 1 and "no backup named 'nope'" in out


def test_restore_over_a_damaged_project(path):
    made = Project.open(path, daily_backup=False)
    name = made.backup("manual").name
    made.close()
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\xa5" * 4096)
    code, out = run("info", path)
    assert code == 1 and "damaged" in out and "qualcode backups" in out
    before, restored = Project.restore_backup(path, name)
    assert before is not None and before.exists()
    assert counts(path) == (1, 2, 1)
    with pytest.raises(NotFoundError):
        Project.restore_backup(path, "missing")


def test_schema_migration_backs_up_first(tmp_path):
    from qualcode import store

    old = tmp_path / "old.qualcode"
    conn = sqlite3.connect(old)
    for statement in store._V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO codes(name, position) VALUES ('Kept', 1)")
    conn.execute("INSERT INTO meta(key, value) VALUES ('backups_keep', NULL)")  # as demo leaves it
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    Project.open(old, daily_backup=False).close()
    [made] = backups.list_backups(old)
    assert made.reason == f"before-schema-{store.SCHEMA_VERSION}" and made.codes == 1
    assert sqlite3.connect(made.path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_the_daily_backup_job_runs_in_another_thread_beside_the_working_connection(path):
    import threading

    with Project.open(path, daily_backup=False) as p:
        job = p.daily_backup_job()
        assert job is not None
        made: list = []
        worker = threading.Thread(target=lambda: made.append(job()))
        worker.start()
        p.set_meta("note", "written while the copy runs")  # the project keeps working
        worker.join()
        assert made[0] is not None and made[0].exists()
        [daily] = p.backups()
        assert (daily.reason, daily.documents, daily.codes, daily.codings) == ("daily", 1, 2, 1)
        assert p.daily_backup_job() is None  # one a day
        p.set_backups_keep(0)
    with Project.open(path, daily_backup=False) as p:
        assert p.daily_backup_job() is None  # backups turned off
