"""Races for the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def run_together(work_items, worker):
    """One thread per work item, all released by a barrier at the same moment; each thread closes
    its own database connection."""
    barrier = threading.Barrier(len(work_items))

    def run(item):
        barrier.wait()
        try:
            worker(item)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in work_items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
