"""Project.changed_elsewhere: a change committed by another connection (another workbench,
the CLI, any program) is seen; this connection's own changes and a bare checkpoint are not."""

import sqlite3

from qualcode.project import Project


def test_changes_by_other_connections_are_seen_and_own_changes_are_not(r7_project):
    p = r7_project
    code = p.add_code("Theme").id
    doc = p.documents()[0].id
    coding = p.add_coding(doc, 0, 5, code)
    assert p.changed_elsewhere() is False  # the first call takes note
    p.add_coding(doc, 6, 10, code)  # our own write
    assert p.changed_elsewhere() is False

    def by_another_program(sql, *args):
        other = sqlite3.connect(p.path)
        other.execute(sql, args)
        other.commit()
        other.close()  # closing checkpoints the WAL: data_version moves either way

    by_another_program('UPDATE codings SET "end" = 7 WHERE id = ?', coding.id)  # same count
    assert p.changed_elsewhere() is True
    assert p.changed_elsewhere() is False  # seen once
    by_another_program(
        "INSERT INTO memos(target_type, target_id, title, text, created_at) VALUES "
        "('project', NULL, 'm', 'a memo', '2026-12-01T00:00:00Z')"
    )
    assert p.changed_elsewhere() is True
    by_another_program("UPDATE codes SET colour = '#ff0000' WHERE id = ?", code)
    assert p.changed_elsewhere() is True
    reader = Project.open(p.path, daily_backup=False)  # opens and checkpoints, changes nothing
    reader.close()
    assert p.changed_elsewhere() is False
    # Our own writes around another connection's checkpoint (a worker closing) are ours.
    p.add_coding(doc, 11, 15, code)
    reader = Project.open(p.path, daily_backup=False)
    reader.close()
    p.add_coding(doc, 16, 20, code)
    assert p.changed_elsewhere() is False
    # ... and another's write between two of ours is seen.
    p.add_coding(doc, 21, 25, code)
    by_another_program('UPDATE codings SET "end" = 8 WHERE id = ?', coding.id)
    p.add_coding(doc, 26, 30, code)
    assert p.changed_elsewhere() is True
