"""Reads iCalendar files with the icalendar library and prints, for each, its events as JSON:
uid, summary, location, description, url, status, and start and end as ISO 8601 with their
offset, so a test compares the local time a calendar would show."""

import json
import sys

import icalendar


def read(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = []
    for e in cal.walk("VEVENT"):
        events.append(
            {
                "uid": str(e.get("UID")),
                "summary": str(e.get("SUMMARY")),
                "location": str(e.get("LOCATION", "")),
                "description": str(e.get("DESCRIPTION", "")),
                "url": str(e.get("URL", "")),
                "status": str(e.get("STATUS", "")),
                "start": e.decoded("DTSTART").isoformat(),
                "end": e.decoded("DTEND").isoformat(),
            }
        )
    return {"name": str(cal.get("X-WR-CALNAME", "")), "events": events}


print(json.dumps([read(p) for p in sys.argv[1:]], ensure_ascii=False))
