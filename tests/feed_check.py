"""Reads RSS and Atom files with the Python `feedparser` package (PyPI), the reference the suite
checks the portal's feeds with. Usage: feed_check.py FILE... Prints a JSON list: for each file,
whether feedparser found it malformed (bozo) and why, its version, and its entries' ids, links,
titles and dates (ISO, UTC)."""
import calendar
import datetime
import json
import sys

import feedparser

out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    def when(e):
        t = e.get("updated_parsed") or e.get("published_parsed")
        return datetime.datetime.fromtimestamp(calendar.timegm(t), datetime.timezone.utc).isoformat() if t else None
    out.append({
        "bozo": bool(d.bozo),
        "why": str(d.get("bozo_exception", "")),
        "version": d.version,
        "title": d.feed.get("title"),
        "entries": [{"id": e.get("id"), "link": e.get("link"), "title": e.get("title"), "when": when(e)} for e in d.entries],
    })
print(json.dumps(out, ensure_ascii=False))
