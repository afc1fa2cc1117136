#!/usr/bin/env python3
"""Walks every user of a running timhost page by page, as an import job (Okta's, a
reconciliation) does, and prints one JSON line: {"mode", "page_size", "pages", "resources",
"seconds"}. With --cursor-at N it prints instead the nextCursor of the page that ends at user
N, for the deep cursor-page scenario.

    walk.py URL TOKEN index|cursor PAGE_SIZE [--cursor-at N]
"""
import http.client
import json
import sys
import time
import urllib.parse

url, token, mode, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cursor_at = int(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[5] == "--cursor-at" else None
parts = urllib.parse.urlsplit(url)
connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
headers = {"Authorization": "Bearer " + token}


def page(query):
    connection.request("GET", parts.path + "/Users?" + query, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"{query}: {response.status} {body[:200]!r}")
    return json.loads(body)


start = time.monotonic()
pages = resources = 0
cursor = ""
while True:
    if mode == "index":
        doc = page(f"startIndex={resources + 1}&count={size}")
    else:
        doc = page(f"cursor={cursor}&count={size}")
    pages += 1
    resources += len(doc.get("Resources", []))
    cursor = doc.get("nextCursor", "")
    if cursor_at is not None and resources >= cursor_at:
        print(cursor)
        sys.exit(0)
    if (mode == "index" and resources >= doc["totalResults"]) or (mode == "cursor" and not cursor):
        break
print(json.dumps({"mode": mode, "page_size": size, "pages": pages, "resources": resources,
                  "seconds": round(time.monotonic() - start, 2)}))
