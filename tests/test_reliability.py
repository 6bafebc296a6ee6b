"""Nothing is lost or doubled: concurrent writers, a killed server, rate limits shared between workers."""
import os
import random
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import create_app, db
from tests.conftest import PASSWORD, TEST_DATABASE_URL
from tests.livesite import kill_hard, opener, post, post_to, start_gunicorn, threaded_server
from training.audit import record
from training.models import AuditEvent, ModuleProgress, User

pytestmark = pytest.mark.slow


def test_eight_threads_of_read_then_write_lose_no_update(app, make_user):
    user = make_user()
    username, statuses, lock = user.username, [], threading.Lock()

    def worker():
        client = opener()
        post(client, f"{base}/auth/login", {"username": username, "password": PASSWORD})
        for _ in range(50):  # each read-modify-write adds one second to the same progress row
            answer = post_to(client, f"{base}/learn/naloxone/1/read", {"visible_seconds": "1"})
            with lock:
                statuses.append(answer)

    with threaded_server(app) as base:
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    db.session.rollback()  # look in a new transaction, after the server's writes
    row = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id))
    assert [a for a in statuses if a != (302, "/learn/naloxone/2")] == []  # every one recorded, none sent to log in
    assert row.seconds_spent == 400


def database_url(app) -> str:
    """The URL of the test database, for a server in another process."""
    return db.engine.url.render_as_string(hide_password=False)


def sign_up_until_killed(base: str, prefix: str, acknowledged: list[str], stop: threading.Event) -> None:
    """Create accounts one after another; remember only those the server confirmed."""
    client, n = opener(), 0
    while not stop.is_set():
        n += 1
        name = f"{prefix}-{n}"
        data = {"username": name, "password": "blue kettle morning", "confirm": "blue kettle morning", "consent": "y"}
        try:
            if post(client, f"{base}/auth/signup", data, timeout=3) == 302:
                acknowledged.append(name)
                post(client, f"{base}/learn/naloxone/1/read", {"visible_seconds": "5"}, timeout=3)
            client = opener()
        except OSError:
            return


def test_a_download_records_who_took_it_although_someone_else_wrote_meanwhile(app):
    """Two coordinators downloading at once: the second one's audit event is saved, not a 500."""
    with app.test_request_context("/reports/export.csv"):  # a GET, as every audited download
        db.session.scalar(select(func.count(AuditEvent.id)))  # the download has read its data
        with Session(db.engine) as other:  # another request records its own download in the meantime
            other.add(AuditEvent(action="report-exported"))
            other.commit()
        record("report-exported", actor=None, commit=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "report-exported")) == 2


def test_a_killed_server_loses_no_acknowledged_write(app):
    acknowledged: list[str] = []
    url = database_url(app)
    db.session.remove()
    for cycle in range(10):
        process, base = start_gunicorn(url)
        stop = threading.Event()
        loaders = [threading.Thread(target=sign_up_until_killed, args=(base, f"c{cycle}t{t}", acknowledged, stop))
                   for t in range(3)]
        for loader in loaders:
            loader.start()
        time.sleep(random.uniform(0.8, 1.6))  # noqa: S311 - timing, not security
        kill_hard(process)
        stop.set()
        for loader in loaders:
            loader.join()
    stored = set(db.session.scalars(select(User.username)))
    assert len(acknowledged) > 10 and set(acknowledged) <= stored
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    duplicates = db.session.execute(text(
        "SELECT current_key FROM certificate WHERE current_key IS NOT NULL GROUP BY current_key HAVING COUNT(*) > 1"))
    assert duplicates.fetchall() == []


REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_up() -> bool:
    """Whether the local Redis answers."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_login_limits_are_shared_between_workers_through_redis(tmp_path):
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "REDIS_URL": REDIS_URL,
              "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path}/shared.db"}
    workers = [create_app(config), create_app(config)]  # two processes' worth of apps, one Redis
    with workers[0].app_context():
        db.create_all()
    wrong = {"username": "river", "password": "wrong password!!"}
    statuses = [workers[i % 2].test_client().post("/auth/login", data=wrong).status_code for i in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    for worker in workers:
        with worker.app_context():
            if worker is workers[0] and not TEST_DATABASE_URL:
                db.drop_all()
            db.engine.dispose()  # close this app's connections (PostgreSQL warns about ones left open)
