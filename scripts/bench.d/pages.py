"""Prepares a portal for the page benchmarks as its people would, through its pages: signs in
(CSRF cookie and field, as a browser does), approves the imported plan of measures, submits
appeals through the public form. Prints shell assignments the bench script reads (APPEAL_TRACK: the last appeal's tracking page).

usage: pages.py BASE_URL SLUG EMAIL PASSWORD [APPEALS [approve]]
"""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
import uuid

base, slug, email, password = sys.argv[1:5]
appeals = int(sys.argv[5]) if len(sys.argv) > 5 else 0
approve = len(sys.argv) > 6 and sys.argv[6] == "approve"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client():
    jar = http.cookiejar.CookieJar()
    return jar, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def cookie(jar, name):
    return next((c.value for c in jar if c.name == name), "")


def send(opener, path, data=None, headers=None):
    req = urllib.request.Request(base + path, data=data, headers=headers or {})
    try:
        with opener.open(req) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:  # 303 after a form arrives here (redirects not followed)
        return e.code, e.headers, e.read().decode()


def token(opener, jar):
    """The CSRF token a page's forms carry: the cookie's before sign-in, the session's after."""
    if not cookie(jar, "gl_session"):
        return cookie(jar, "gl_csrf")
    _, _, page = send(opener, "/staff/")
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    if not found:
        sys.exit(f"no CSRF token on the staff home page:\n{page[:2000]}")
    return found.group(1)


def post_form(opener, jar, path, fields):
    fields = dict(fields, csrf=token(opener, jar))
    status, headers, text = send(opener, path, urllib.parse.urlencode(fields).encode())
    if status != 303:
        sys.exit(f"{path}: {status}\n{text[:2000]}")
    return headers.get("Location", "")


jar, staff = client()
send(staff, "/staff/login")
post_form(staff, jar, "/staff/login", {"email": email, "password": password, "next": ""})
roadmap = ""
if approve:
    _, _, page = send(staff, f"/staff/o/{slug}/roadmaps/")
    ids = re.findall(rf"/staff/o/{re.escape(slug)}/roadmaps/(\d+)", page)
    if not ids:
        sys.exit(f"no plan of measures to approve:\n{page[:2000]}")
    roadmap = ids[0]
    post_form(staff, jar, f"/staff/o/{slug}/roadmaps/{roadmap}/status",
              {"status": "approved", "approving_act": "распоряжение от 03.04.2017 № 149", "discussion_until": ""})

jar_public, public = client()
send(public, "/appeals/new")
track = ""
for i in range(appeals):
    boundary = uuid.uuid4().hex
    fields = {"csrf": cookie(jar_public, "gl_csrf"), "body": slug, "kind": "appeal",
              "topic": f"Выплата на ребёнка № {i + 1}",
              "text": "Прошу разъяснить порядок назначения ежемесячной выплаты на ребёнка.",
              "author_name": "Петрова Анна Сергеевна", "answer_by": "email", "email": "anna@example.org", "consent": "1"}
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    body += f"--{boundary}--\r\n"
    status, headers, text = send(public, "/appeals/new", body.encode(),
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status != 303:
        sys.exit(f"appeal {i + 1}: {status}\n{text[:2000]}")
    track = headers.get("Location", "").split("?")[0]

print(f"SESSION={cookie(jar, 'gl_session')}")
print(f"CSRF={token(staff, jar)}")
print(f"ROADMAP={roadmap}")
print(f"APPEAL_TRACK={track}")
