-- The national typical thematic classifier of appeals (ССТУ.РФ): codes SSSS.TTTT.MMMM.QQQQ
-- (section, topic, theme, question) and, in current editions, .PPPP (sub-question). Shipped
-- here: only the sections and the codes docs/specs/ru-rules.md §1.11 confirms; the full edition
-- is loaded from the official file (`glasnost appeals topics FILE`), which adds and renames,
-- never removes.
CREATE TABLE appeal_topics (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL
);
INSERT INTO appeal_topics (code, title) VALUES
    ('0001', 'Государство, общество, политика'),
    ('0002', 'Социальная сфера'),
    ('0003', 'Экономика'),
    ('0004', 'Оборона, безопасность, законность'),
    ('0005', 'Жилищно-коммунальная сфера'),
    ('0001.0002', 'Основы государственного управления'),
    ('0001.0002.0027.0126', 'Отсутствует адресат обращения'),
    ('0002.0004', 'Семья'),
    ('0002.0007', 'Социальное обеспечение и социальное страхование'),
    ('0002.0013', 'Образование. Наука. Культура'),
    ('0002.0014', 'Здравоохранение. Физическая культура и спорт. Туризм'),
    ('0003.0009', 'Хозяйственная деятельность'),
    ('0003.0009.0096', 'Строительство'),
    ('0003.0009.0097', 'Градостроительство и архитектура. Благоустройство'),
    ('0003.0009.0099', 'Транспорт'),
    ('0003.0009.0100', 'Связь'),
    ('0005.0005', 'Жилище'),
    ('0005.0005.0056', 'Коммунальное хозяйство'),
    ('0005.0005.0056.1160', 'Обращение с ТКО');

-- A submission split into its questions (Decree 171 reports per question, not per letter), each
-- classified and, once considered, with its own result.
CREATE TABLE submission_questions (
    id IDENTITY_KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    code TEXT NOT NULL REFERENCES appeal_topics(code),
    summary TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX submission_questions_submission ON submission_questions(submission_id, id);

-- The form's one-time value (hashed): a submission sent twice — a double click, or sent again
-- after the answer was lost — is stored once, and the second sending gets the first's receipt.
ALTER TABLE submissions ADD COLUMN once_hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX submissions_once ON submissions(once_hash) WHERE once_hash <> '';

-- The appeals officer a submission is assigned to (none: every officer of the body handles it).
ALTER TABLE submissions ADD COLUMN assignee_id BIGINT REFERENCES users(id);
