"""Secrecy: nothing stored links a deputy to a choice (docs/ballot-secrecy.md).

The checks that need PostgreSQL's system columns (xmin, ctid) run only there; the rest
run on both databases (SQLite's physical order is its rowid)."""

import logging
import uuid

import pytest
from django.db import IntegrityError, connection, models, transaction

from lianxin.ballots import services
from lianxin.ballots.models import BallotEvent, BallotSlot, Elector
from lianxin.notifications.models import Notification

from .conftest import make_town, open_ballot

SLOT_TABLE = BallotSlot._meta.db_table
ELECTOR_TABLE = Elector._meta.db_table
_pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin, ctid and VACUUM are PostgreSQL's")


def on_postgres(test):
    """PostgreSQL only, and each cast its own committed transaction, as in production
    (inside one test transaction every cast would be a subtransaction)."""
    return _pg_only(pytest.mark.django_db(transaction=True)(test))


def _physical_order(ballot) -> list[str]:
    """Slot ids in the order they lie in the table."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {SLOT_TABLE} WHERE ballot_id = %s ORDER BY {order}", [ballot.pk])
        return [str(row[0]) for row in cursor.fetchall()]


def _system_columns(ballot) -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text::bigint, ctid::text FROM {SLOT_TABLE} WHERE ballot_id = %s", [ballot.pk])
        return {str(i): (x, c) for i, x, c in cursor.fetchall()}


def _elector_xmin(ballot, deputy) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text::bigint FROM {ELECTOR_TABLE} WHERE ballot_id = %s AND deputy_id = %s",
            [ballot.pk, deputy.pk],
        )
        return cursor.fetchone()[0]


def test_slots_have_no_link_to_electors_and_no_timestamps():
    for model in (BallotSlot, Elector):
        kinds = {type(f) for f in model._meta.get_fields() if f.concrete}
        assert not kinds & {models.DateTimeField, models.DateField, models.TimeField}, model
        assert not any(isinstance(f, models.AutoField) for f in model._meta.get_fields()) or model is Elector
    slot_targets = {f.related_model for f in BallotSlot._meta.get_fields() if f.is_relation and f.concrete}
    assert {m._meta.label for m in slot_targets} == {"ballots.Ballot"}
    assert not isinstance(BallotSlot._meta.pk, models.AutoField)  # ids are random, not a sequence
    columns = {f.column for f in BallotSlot._meta.concrete_fields}
    assert columns == {"id", "ballot_id", "receipt_code", "filled", "marks"}


def test_the_only_column_shared_by_slots_and_electors_is_the_ballot():
    slot_columns = {f.column for f in BallotSlot._meta.concrete_fields}
    elector_columns = {f.column for f in Elector._meta.concrete_fields}
    assert slot_columns & elector_columns == {"id", "ballot_id"}
    # and the ids are of different kinds: a random UUID against an integer
    assert isinstance(BallotSlot._meta.pk, models.UUIDField) and isinstance(Elector._meta.pk, models.AutoField)


def test_physical_order_of_slots_does_not_follow_cast_order(world):
    town = make_town(world, count=5)
    ballot = open_ballot(town)
    before = _physical_order(ballot)
    for i, user in enumerate(town.users):
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"} if i % 2 else {"p2": "for"})
        assert _physical_order(ballot) == before  # every cast rewrote all slots in the same order


def test_slots_are_made_in_random_order(world):
    town = make_town(world, count=30)
    ballot = open_ballot(town)
    order = _physical_order(ballot)
    codes = dict(BallotSlot.objects.filter(ballot=ballot).values_list("id", "receipt_code"))
    assert order != sorted(order)
    assert [codes[uuid.UUID(i)] for i in order] != sorted(codes.values())


def test_every_cast_writes_every_slot_with_the_same_width(ballot, town):
    widths = set(BallotSlot.objects.filter(ballot=ballot).values_list("marks", flat=True))
    assert widths == {"...."}
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p3": "for"})
    updates = [sql for sql in seen if sql.startswith("UPDATE") and SLOT_TABLE in sql]
    assert len(updates) == 1 and "CASE WHEN" in updates[0]
    assert f"WHERE {connection.ops.quote_name(SLOT_TABLE)}.{connection.ops.quote_name('ballot_id')} = %s" in updates[0]
    assert not connection.queries_log  # the debug query log was emptied too
    assert {len(m) for m in BallotSlot.objects.filter(ballot=ballot).values_list("marks", flat=True)} == {4}


def test_closing_reshuffles_the_slots(world):
    town = make_town(world, count=30)
    ballot = open_ballot(town)
    for user in town.users:
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
    before = _physical_order(ballot)
    contents = set(BallotSlot.objects.filter(ballot=ballot).values_list("id", "receipt_code", "filled", "marks"))
    services.ballot_close(ballot=ballot, actor=town.office)
    assert _physical_order(ballot) != before
    assert (
        set(BallotSlot.objects.filter(ballot=ballot).values_list("id", "receipt_code", "filled", "marks")) == contents
    )


def test_no_event_notification_or_log_line_carries_a_choice(ballot, town, caplog, settings):
    settings.DEBUG = True  # Django would log every SQL statement
    marks = {"p1": "for", "p4": "for"}
    with caplog.at_level(logging.DEBUG):
        for user in town.users:
            services.ballot_cast(ballot=ballot, deputy_user=user, marks=marks)
    assert not [r for r in caplog.records if r.name == "django.db.backends"]
    assert not logging.getLogger("django.db.backends").disabled  # switched back on
    services.ballot_close(ballot=ballot, actor=town.office)
    texts = [str(e.data) + e.note + e.action for e in BallotEvent.objects.filter(ballot=ballot)]
    texts += [n.subject + n.body for n in Notification.objects.all()]
    assert not [t for t in texts if "FF" in t or "p1" in t or "p4" in t]
    assert {e.action for e in BallotEvent.objects.filter(ballot=ballot)} == {"opened", "closed"}
    assert not BallotEvent.objects.filter(ballot=ballot, actor__in=town.users).exists()


def test_the_database_keeps_one_elector_row_per_deputy(ballot, town):
    with pytest.raises(IntegrityError), transaction.atomic():
        Elector.objects.create(ballot=ballot, deputy=town.deputies[0])


@on_postgres
def test_xmin_and_ctid_do_not_tell_which_slot_was_filled(ballot, town):
    """After each cast every slot of the ballot carries the casting transaction's xmin (the
    elector's row does too), and the slots keep their relative physical order: the system
    columns are the same function of the cast whichever slot was chosen."""
    start = _system_columns(ballot)
    order = _physical_order(ballot)
    for i, (user, deputy) in enumerate(zip(town.users, town.deputies, strict=True)):
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={f"p{1 + i % 4}": "for"})
        now = _system_columns(ballot)
        assert len({xmin for xmin, _ctid in now.values()}) == 1  # one xmin for all slots
        assert _elector_xmin(ballot, deputy) == next(iter(now.values()))[0]
        assert _physical_order(ballot) == order
        assert all(now[i][1] != start[i][1] for i in now)  # every row got a new version
        start = now


@on_postgres
def test_joining_electors_and_slots_through_system_columns_finds_all_or_nothing(ballot, town):
    """The join an attacker would try: the elector who voted last against the slot whose
    xmin equals his row's xmin. It returns every slot of the ballot, not one."""
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    services.ballot_cast(ballot=ballot, deputy_user=town.users[1], marks={"p2": "for"})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.deputy_id, s.id FROM {ELECTOR_TABLE} e JOIN {SLOT_TABLE} s "
            f"ON s.xmin = e.xmin AND s.ballot_id = e.ballot_id WHERE e.ballot_id = %s",
            [ballot.pk],
        )
        pairs = cursor.fetchall()
    assert {d for d, _s in pairs} == {town.deputies[1].pk}
    assert len(pairs) == len(town.deputies)  # all five slots, filled or not
    with connection.cursor() as cursor:  # and the first voter's row shares no xmin with any slot
        cursor.execute(
            f"SELECT count(*) FROM {SLOT_TABLE} s JOIN {ELECTOR_TABLE} e ON s.xmin = e.xmin "
            f"WHERE e.ballot_id = %s AND e.deputy_id = %s",
            [ballot.pk, town.deputies[0].pk],
        )
        assert cursor.fetchone()[0] == 0


@on_postgres
def test_closing_rewrites_the_slot_table_so_old_row_versions_are_gone(ballot, town):
    for user in town.users:
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_filenode(%s)", [SLOT_TABLE])
        before = cursor.fetchone()[0]
        services.ballot_close(ballot=ballot, actor=town.office)  # VACUUM FULL runs after the commit
        cursor.execute("SELECT pg_relation_filenode(%s)", [SLOT_TABLE])
        assert cursor.fetchone()[0] != before  # a new file holding only the live rows
        cursor.execute(f"SELECT count(DISTINCT xmin::text) FROM {SLOT_TABLE} WHERE ballot_id = %s", [ballot.pk])
        assert cursor.fetchone()[0] == 1


def _slot_patterns_in(order: str, ballot, refs) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT marks FROM {SLOT_TABLE} WHERE ballot_id = %s AND filled ORDER BY {order}", [ballot.pk])
        return [row[0] for row in cursor.fetchall()]


def test_joining_by_insertion_order_ids_or_receipts_does_not_recover_the_votes(world):
    """Twenty deputies cast twenty different ballots in a known order. Pairing the k-th voter
    with the k-th slot in physical order, id order or receipt order must not recover the
    votes (a random pairing matches about one of twenty; we allow fewer than half)."""
    import itertools
    import random

    from lianxin.ballots import marks as codec

    options = [(f"o{i}", f"项目{i}") for i in range(8)]
    refs = [ref for ref, _label in options]
    town = make_town(world, count=20)
    ballot = open_ballot(town, options=options, seats=3)
    patterns = [set(c) for n in (1, 2) for c in itertools.combinations(refs, n)][:20]
    order = list(range(20))
    random.Random(7).shuffle(order)  # the voting order, known to the attacker
    voted_marks = []
    for k in order:
        marks = dict.fromkeys(patterns[k], "for")
        services.ballot_cast(ballot=ballot, deputy_user=town.users[k], marks=marks)
        voted_marks.append(codec.encode(refs, marks))
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    for column in (physical, "id", "receipt_code"):
        found = _slot_patterns_in(column, ballot, refs)
        assert sorted(found) == sorted(voted_marks)  # the count is right
        matches = sum(a == b for a, b in zip(found, voted_marks, strict=True))
        assert matches < 10, column
        by_deputy = [codec.encode(refs, dict.fromkeys(patterns[k], "for")) for k in range(20)]
        assert sum(a == b for a, b in zip(found, by_deputy, strict=True)) < 10, column


@pytest.mark.django_db(transaction=True)
def test_the_scrub_command_runs_outside_a_transaction():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ballots_scrub", stdout=out)
    assert "scrubbed" in out.getvalue()


def test_a_failing_scrub_never_undoes_the_close(ballot, town, monkeypatch, caplog):
    from django.db import OperationalError

    def fail():
        raise OperationalError("lock timeout")

    monkeypatch.setattr(services, "scrub_old_versions", fail)
    with caplog.at_level(logging.WARNING):
        services._scrub_old_versions()
    assert "ballots_scrub" in caplog.text and "lock timeout" not in caplog.text
