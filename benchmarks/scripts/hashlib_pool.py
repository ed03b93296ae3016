#!/usr/bin/env python3
"""The peer to beat: hash files on a thread pool with hashlib, as model_signing does.

Usage: hashlib_pool.py ROUNDS FILE...   Prints: python-hashlib-pool BYTES BEST_SECONDS
"""
import concurrent.futures
import hashlib
import os
import sys
import time

CHUNK = 1 << 20


def hash_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


def run(paths):
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(hash_file, paths))


def main():
    rounds = int(sys.argv[1])
    paths = sys.argv[2:]
    size = sum(os.path.getsize(p) for p in paths)
    run(paths)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run(paths)
        best = min(best, time.perf_counter() - start)
    print(f"python-hashlib-pool {size} {best:.4f}")


if __name__ == "__main__":
    main()
