"""Adds a row to every table the demo leaves empty, in the schema of the release before the
mechanism slices (commit 77c876a), so the upgrade tests carry data of every kind. Run by make.sh."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys = ON")
q = lambda sql, *a: db.execute(sql, a)
one = lambda sql, *a: db.execute(sql, a).fetchone()[0]

T = 1772442000000  # 2026-03-02T09:00:00Z
body = one("SELECT id FROM bodies WHERE slug = 'social-protection'")
admin = one("SELECT id FROM users ORDER BY id LIMIT 1")
roadmap = one("SELECT id FROM roadmaps ORDER BY id LIMIT 1")
measure = one("SELECT id FROM measures WHERE roadmap_id = ? ORDER BY position LIMIT 1", roadmap)
dataset = one("SELECT id FROM datasets WHERE body_id = ? ORDER BY id LIMIT 1", body)
stamp = one("SELECT stamp FROM dataset_versions WHERE dataset_id = ? ORDER BY id LIMIT 1", dataset)

q("INSERT INTO calendar_overrides (day, kind, note, updated_at) VALUES ('2026-12-31', 'day-off', 'региональный выходной', ?)", T)
q("INSERT INTO execution_marks (measure_id, period, status, marked_on, comment, evidence, user_id, actor, created_at) "
  "VALUES (?, '2026', 'done', '2026-03-02', 'Выполнено', 'https://example.org/act', ?, 'admin@tomsk.example', ?)",
  measure, admin, T)
q("INSERT INTO roadmap_comments (roadmap_id, measure_id, author_name, email, text, status, reply, replied_at, "
  "moderated_at, created_at) VALUES (?, ?, 'Иван Петров', 'ivan@example.org', 'Предлагаю сократить срок', "
  "'published', 'Спасибо, учтём', ?, ?, ?)", roadmap, measure, T, T, T)
q("INSERT INTO dataset_requests (body_id, title, description, author_name, email, due_on, created_at) "
  "VALUES (?, 'Очереди в детские сады', 'По районам', 'Анна', 'anna@example.org', '2026-04-01', ?)", body, T)
q("INSERT INTO api_tokens (body_id, name, token_hash, created_at) VALUES (?, 'ИС Соцзащита', "
  "'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', ?)", body, T)
q("INSERT INTO dataset_reports (dataset_id, body_id, version_stamp, row_no, field, text, author_name, email, "
  "due_on, created_at, updated_at) VALUES (?, ?, ?, 2, 'phone', 'Неверный телефон', 'Олег', 'oleg@example.org', "
  "'2026-04-01', ?, ?)", dataset, body, stamp, T, T)
q("INSERT INTO opendata_demand (day, dataset_id, file, hits) VALUES ('2026-03-02', ?, 'meta.csv', 7)", dataset)
q("INSERT INTO opendata_searches (day, query, hits) VALUES ('2026-03-02', 'пособия', 3)")
q("INSERT INTO submission_counters (body_id, year, last) VALUES (?, 2026, 1)", body)
q("INSERT INTO submissions (body_id, kind, year, seq, topic, text, author_name, email, answer_by, identified_by, "
  "token_hash, status, result, answer, answered_at, registered_on, due_on, created_at, once_hash, assignee_id, "
  "respondent) VALUES (?, 'appeal', 2026, 1, 'Пособие', 'Прошу разъяснить порядок получения пособия', "
  "'Мария Иванова', 'maria@example.org', 'email', 'email_unverified', "
  "'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', 'answered', 'explained', "
  "'Разъяснено', ?, '2026-03-02', '2026-03-31', ?, 'once-1', ?, '')", body, T + 1000, T, admin)
sub = one("SELECT id FROM submissions")
q("INSERT INTO submission_files (submission_id, name, content_type, bytes, sha256, file_key) VALUES "
  "(?, 'заявление.txt', 'text/plain', 5, 'x', 'appeals/fixture/заявление.txt')", sub)
q("INSERT INTO submission_events (submission_id, at, status, note) VALUES (?, ?, 'registered', '')", sub, T)
q("INSERT INTO submission_events (submission_id, at, status, note) VALUES (?, ?, 'answered', 'Разъяснено')", sub, T + 1000)
q("INSERT INTO submission_publications (submission_id, body_id, question, answer, result, status, due_on) "
  "VALUES (?, ?, 'Как получить пособие?', 'Разъяснено', 'explained', 'draft', '2026-03-16')", sub, body)
code = one("SELECT code FROM appeal_topics ORDER BY code LIMIT 1")
q("INSERT INTO submission_questions (submission_id, code, summary, result, created_at) "
  "VALUES (?, ?, 'Порядок получения пособия', '', ?)", sub, code, T)
q("INSERT INTO submission_letters (submission_id, what, sent_on, tracking, delivered_on, created_at) "
  "VALUES (?, 'answer', '2026-03-03', '63401234567890', '', ?)", sub, T)
q("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES "
  "('fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13', ?, ?, ?)", admin, T, T + 43200000)
q("INSERT INTO jobs (kind, idempotency_key, payload, status, attempts, run_at, created_at, done_at) VALUES "
  "('mail', 'fixture-ack-1', '{}', 'done', 1, ?, ?, ?)", T, T, T + 500)
lst = one("SELECT id FROM obligation_lists ORDER BY id LIMIT 1")
q("INSERT INTO obligation_items (list_id, number, title, applies_to, updated_at) VALUES "
  "(?, '1', 'Перечень подведомственных организаций', '', ?)", lst, T)
item = one("SELECT id FROM obligation_items")
q("INSERT INTO obligation_links (item_id, body_id, dataset_id, reason, updated_at) VALUES (?, ?, ?, '', ?)",
  item, body, dataset, T)
db.commit()
empty = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
         if one(f"SELECT COUNT(*) FROM {t}") == 0]
print("tables left empty:", empty)
